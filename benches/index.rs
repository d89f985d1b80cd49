//! Criterion benches of full-text search (`zhiye index` / `zhiye search`):
//! the tokenizer over descriptions, a whole index build of a generated corpus
//! (classification included, as `zhiye index` does it), and queries against
//! the built index. Each asserts its count (tokens, documents, hits), so a
//! build that drops postings or a query that stops matching cannot look fast.
//!
//! Run with `make bench` (needs `make setup`). Query latency on a large index
//! is measured by `zhiye search INDEX QUERY --bench N` instead (README).

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use zhiye_core::AggregateConfig;
use zhiye_search::{IndexOptions, PostingSearch, PostingWords, SearchOptions, build_index};
use zhiye_synth::{GeneratorOptions, generate_to_dir};
use zhiye_text::{Classifier, ClassifierOptions};

mod common;

/// Postings of the generated corpus the build bench indexes.
const BUILD_POSTINGS: u64 = 20_000;

fn benches(c: &mut Criterion) {
    let rules = common::rules_file();
    let (taxonomy, classifier) =
        Classifier::from_dir(&common::taxonomy_dir(), Some(&rules), ClassifierOptions::default()).unwrap();
    let ai_keywords = AggregateConfig::default().ai_keywords;

    // The tokenizer alone, on the descriptions of the standard corpus.
    let corpus = common::corpus(&taxonomy);
    let mut words = PostingWords::new(classifier.terms().chain(ai_keywords.iter().map(String::as_str)));
    let count = |words: &mut PostingWords| -> usize {
        let mut n = 0;
        for d in &corpus.descriptions {
            let mut s = words.token_stream(black_box(d));
            while s.advance() {
                n += 1;
            }
        }
        n
    };
    let tokens = count(&mut words);
    assert!(tokens > corpus.descriptions.len() * 10, "{tokens} tokens");
    let bytes: usize = corpus.descriptions.iter().map(String::len).sum();
    let mut g = c.benchmark_group("index");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("words_descriptions", |b| b.iter(|| assert_eq!(count(&mut words), tokens)));

    // A whole build: read, classify, tokenize, write, commit, merge.
    let dir = tempfile::tempdir().unwrap();
    let postings = dir.path().join("corpus");
    let opts = GeneratorOptions::default().postings(BUILD_POSTINGS).seed(1);
    assert_eq!(generate_to_dir(&taxonomy, opts, &postings).unwrap().rows, BUILD_POSTINGS);
    let options = IndexOptions { memory_mb: 256, ai_keywords, ..IndexOptions::default() };
    g.throughput(Throughput::Elements(BUILD_POSTINGS));
    g.sample_size(10);
    g.bench_function("build_20k_postings", |b| {
        b.iter_batched(
            || tempfile::tempdir_in(dir.path()).unwrap(),
            |out| {
                let s = build_index(&postings, out.path(), &classifier, &options).unwrap();
                assert_eq!((s.postings, s.documents), (BUILD_POSTINGS, BUILD_POSTINGS));
                out
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();

    // Queries against one built index, the searcher kept open.
    let index = dir.path().join("index");
    build_index(&postings, &index, &classifier, &options).unwrap();
    let search = PostingSearch::open(&index).unwrap();
    let mut g = c.benchmark_group("search");
    for (name, query, options) in [
        ("word", "会计", SearchOptions { limit: 10, ..Default::default() }),
        ("and_year", "工程师 AND 开发", SearchOptions { limit: 10, year: Some(2020), ..Default::default() }),
        ("facets", "销售", SearchOptions { limit: 10, facets: true, ..Default::default() }),
    ] {
        let total = search.search(query, &options).unwrap().total;
        assert!(total > 0, "{query}: no hits");
        g.bench_function(name, |b| {
            b.iter(|| assert_eq!(search.search(black_box(query), &options).unwrap().total, total))
        });
    }
    g.finish();
}

criterion_group! {
    name = index;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(index);
