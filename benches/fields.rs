//! Criterion benches of the free-text field parsers on the synthetic
//! corpus's strings: salary, experience, education, head-count and dates.
//! Each asserts the number of values its loop parsed, so a parser that
//! silently stops parsing cannot look fast.
//!
//! Run with `make bench` (needs `make setup`).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhiye_core::Taxonomy;
use zhiye_ingest::fields::{Headcount, parse_date, parse_education, parse_experience, parse_headcount, parse_salary};

mod common;

/// Benches `parse` over `texts`, asserting each pass parses the same number
/// of values, and at least `min_share` of them.
fn bench_parser(c: &mut Criterion, name: &str, texts: &[String], min_share: f64, parse: impl Fn(&str) -> bool) {
    let want = texts.iter().filter(|t| parse(t)).count();
    assert!(want as f64 >= min_share * texts.len() as f64, "{name}: only {want} of {} parsed", texts.len());
    let mut g = c.benchmark_group("fields");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function(name, |b| b.iter(|| assert_eq!(texts.iter().filter(|t| parse(black_box(t))).count(), want)));
    g.finish();
}

fn benches(c: &mut Criterion) {
    let taxonomy = Taxonomy::from_path(common::taxonomy_dir().join("csco22.csv")).unwrap();
    let corpus = common::corpus(&taxonomy);
    bench_parser(c, "salary", &corpus.salaries, 0.8, |t| parse_salary(t).is_ok());
    bench_parser(c, "experience", &corpus.experiences, 0.8, |t| parse_experience(t).is_ok());
    bench_parser(c, "education", &corpus.educations, 0.8, |t| parse_education(t).is_ok());
    // Most synthetic postings, like real ones, give no head-count at all.
    bench_parser(c, "headcount", &corpus.headcounts, 0.4, |t| {
        matches!(parse_headcount(t), Headcount::Count(_) | Headcount::Unspecified)
    });
    bench_parser(c, "date", &corpus.dates, 0.99, |t| parse_date(t, Some(2020)).is_ok());
}

criterion_group! {
    name = fields;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(fields);
