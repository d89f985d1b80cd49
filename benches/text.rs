//! Criterion benches of the text hot path on the synthetic corpus: title
//! cleaning, the tokenizer, the name/alias matcher, n-gram similarity, BM25F
//! scoring of titles, and the classifier on titles, whole postings and Arrow
//! batches. Each bench asserts the count its loop produces, so a broken fast
//! path cannot look fast.
//!
//! Run with `make bench` (needs `make setup`).

use std::hint::black_box;

use arrow_array::StringArray;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhiye_text::normalize::{key_into, normalize};
use zhiye_text::similar::{SimilarityIndex, SimilarityScratch};
use zhiye_text::{
    Bm25Params, Classifier, ClassifierOptions, CleanTitle, OccupationIndex, Scratch, TermMatcher, Tokenizer,
    classify_batch,
};

mod common;

fn benches(c: &mut Criterion) {
    let (taxonomy, classifier) =
        Classifier::from_dir(&common::taxonomy_dir(), Some(&common::rules_file()), ClassifierOptions::default())
            .unwrap();
    let corpus = common::corpus(&taxonomy);
    let n = corpus.titles.len();
    let bytes: usize = corpus.titles.iter().chain(&corpus.descriptions).map(String::len).sum();
    // Cleaned title keys, as the matcher and the similarity index see them.
    let mut clean = CleanTitle::default();
    let keys: Vec<String> = corpus
        .titles
        .iter()
        .map(|t| {
            classifier.cleaner().clean_into(t, &mut clean);
            let mut k = String::new();
            key_into(&clean.text, &mut k);
            k
        })
        .collect();
    let tokenizer = Tokenizer::new(std::iter::empty());
    let matcher = TermMatcher::build(&taxonomy).unwrap();
    let similar = SimilarityIndex::build(&matcher);
    let index = OccupationIndex::build(&taxonomy, &tokenizer, &Bm25Params::default());

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
            assert!(chars > n, "{chars} characters left");
        })
    });
    let terms_of = |texts: &[String], key: &mut String| {
        let mut terms = 0;
        for t in texts {
            tokenizer.for_each_term(black_box(t), key, |_, _| terms += 1);
        }
        terms
    };
    let mut key = String::new();
    let title_terms = terms_of(&keys, &mut key);
    assert!(title_terms > 2 * n, "{title_terms} terms");
    g.bench_function("tokenize_titles", |b| b.iter(|| assert_eq!(terms_of(&keys, &mut key), title_terms)));
    let matches_of = || {
        let mut m = 0;
        for k in &keys {
            matcher.for_each_match(black_box(k), |_, _| m += 1);
        }
        m
    };
    let matches = matches_of();
    assert!(matches > n / 2, "{matches} matches");
    g.bench_function("match_terms", |b| b.iter(|| assert_eq!(matches_of(), matches)));
    let mut sim = SimilarityScratch::default();
    let similar_of = |sim: &mut SimilarityScratch| {
        let mut m = 0;
        for k in &keys {
            similar.for_each_similar(black_box(k), 0.2, sim, |_, _| m += 1);
        }
        m
    };
    let similars = similar_of(&mut sim);
    assert!(similars > n, "{similars} similar terms");
    g.bench_function("similar_terms", |b| b.iter(|| assert_eq!(similar_of(&mut sim), similars)));
    // BM25F over title terms: the postings summed into one score per occupation.
    let mut scores = vec![0f32; index.docs()];
    let bm25_of = |scores: &mut [f32], key: &mut String| {
        let mut best = 0;
        for t in &keys {
            scores.fill(0.0);
            tokenizer.for_each_term(black_box(t), key, |term, _| {
                if let Some(id) = index.term_id(term) {
                    for &(d, w) in index.postings(id) {
                        scores[d as usize] += w;
                    }
                }
            });
            best += usize::from(scores.iter().any(|&s| s > 0.0));
        }
        best
    };
    let scored = bm25_of(&mut scores, &mut key);
    assert!(scored > n * 9 / 10, "{scored} titles scored");
    g.bench_function("bm25_titles", |b| b.iter(|| assert_eq!(bm25_of(&mut scores, &mut key), scored)));

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
    g.bench_function("classify_titles", |b| b.iter(|| assert_eq!(classified(false, &mut s), want_titles)));
    g.bench_function("classify_postings", |b| b.iter(|| assert_eq!(classified(true, &mut s), want_postings)));
    // The batch API as the pipeline calls it: Arrow arrays in, the classified columns out.
    let (titles, descriptions) =
        (StringArray::from(corpus.titles.clone()), StringArray::from(corpus.descriptions.clone()));
    g.bench_function("classify_batch", |b| {
        b.iter(|| {
            let batch = classify_batch(&classifier, &titles, Some(&descriptions), &mut s).unwrap();
            assert_eq!(batch.num_rows() - batch.column(0).null_count(), want_postings);
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
    let normalized: usize = corpus.descriptions.iter().map(|d| normalize(d).len()).sum();
    assert!(normalized >= bytes / 2);
    g.finish();
}

criterion_group! {
    name = text;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(text);
