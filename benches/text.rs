//! Criterion benches of the text hot path on the synthetic corpus: title
//! cleaning, tokenizing, term matching, classification of titles and of whole
//! postings, and the head-count parser. Each bench asserts the count its
//! loop produces, so a broken fast path cannot look fast.
//!
//! Run with `make bench` (needs `make setup`).

use std::hint::black_box;
use std::path::Path;

use arrow_array::cast::AsArray;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhiye_core::Taxonomy;
use zhiye_ingest::col;
use zhiye_ingest::fields::{Headcount, parse_headcount};
use zhiye_synth::{Generator, GeneratorOptions};
use zhiye_text::normalize::key_into;
use zhiye_text::{Classifier, ClassifierOptions, CleanTitle, Scratch};

const POSTINGS: usize = 10_000;

struct Corpus {
    titles: Vec<String>,
    descriptions: Vec<String>,
    headcounts: Vec<String>,
}

fn corpus(taxonomy: &Taxonomy) -> Corpus {
    let g = Generator::new(taxonomy, GeneratorOptions::default().postings(POSTINGS as u64 * 72).seed(1)).unwrap();
    let mut c = Corpus { titles: Vec::new(), descriptions: Vec::new(), headcounts: Vec::new() };
    for batch in g.month_batches(60, 4096) {
        let text = |name| batch.column_by_name(name).unwrap().as_string::<i32>().clone();
        let (t, d, h) = (text(col::TITLE), text(col::DESCRIPTION), text(col::HEADCOUNT_TEXT));
        for i in 0..batch.num_rows() {
            c.titles.push(t.value(i).to_string());
            c.descriptions.push(d.value(i).to_string());
            c.headcounts.push(h.value(i).to_string());
        }
    }
    c.titles.truncate(POSTINGS);
    c.descriptions.truncate(POSTINGS);
    c.headcounts.truncate(POSTINGS);
    c
}

fn benches(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ocd2022");
    assert!(dir.join("csco22.csv").exists(), "run `make setup` first");
    let (taxonomy, classifier) = Classifier::from_dir(
        &dir,
        Some(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml")),
        ClassifierOptions::default(),
    )
    .unwrap();
    let corpus = corpus(&taxonomy);
    let n = corpus.titles.len();
    let bytes: usize = corpus.titles.iter().chain(&corpus.descriptions).map(String::len).sum();
    let mut s = Scratch::new();
    let classified = |desc: bool, s: &mut Scratch| {
        (0..n)
            .filter(|&i| {
                classifier.classify(&corpus.titles[i], desc.then(|| &*corpus.descriptions[i]), s).code.is_some()
            })
            .count()
    };
    let (want_titles, want_postings) = (classified(false, &mut s), classified(true, &mut s));
    assert!(want_postings > n * 9 / 10, "only {want_postings} of {n} postings classified");

    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("clean_titles", |b| {
        let mut out = CleanTitle::default();
        b.iter(|| {
            let mut chars = 0;
            for t in &corpus.titles {
                classifier.cleaner().clean_into(black_box(t), &mut out);
                chars += out.text.len();
            }
            assert!(chars > 0);
        })
    });
    g.bench_function("classify_titles", |b| b.iter(|| assert_eq!(classified(false, &mut s), want_titles)));
    g.bench_function("classify_postings", |b| b.iter(|| assert_eq!(classified(true, &mut s), want_postings)));
    g.bench_function("parse_headcount", |b| {
        let want = corpus.headcounts.iter().filter(|h| matches!(parse_headcount(h), Headcount::Count(_))).count();
        b.iter(|| {
            let got = corpus
                .headcounts
                .iter()
                .filter(|h| matches!(parse_headcount(black_box(h)), Headcount::Count(_)))
                .count();
            assert_eq!(got, want);
        })
    });
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("key_titles_and_descriptions", |b| {
        let mut key = String::new();
        b.iter(|| {
            let mut len = 0;
            for t in corpus.titles.iter().chain(&corpus.descriptions) {
                key_into(black_box(t), &mut key);
                len += key.len();
            }
            assert!(len > bytes / 2);
        })
    });
    g.finish();
}

criterion_group! {
    name = text;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(text);
