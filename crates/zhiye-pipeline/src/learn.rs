//! Learning the boards' description vocabulary from a corpus (`zhiye learn`):
//! postings whose title alone decides the occupation confidently are
//! labelled examples for free (see [`zhiye_text::DescriptionModel`]).

use std::collections::HashSet;
use std::path::Path;

use arrow_array::Array;
use arrow_array::cast::AsArray;
use serde::Serialize;
use zhiye_core::Level;
use zhiye_text::{Classifier, DescriptionCounts, LearnOptions, Method, Scratch};

use crate::Result;

/// What [`learn`] read.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LearnReport {
    /// Postings read.
    pub postings: u64,
    /// Of them, left out because their id was excluded (a gold set's).
    pub excluded: u64,
    /// Postings with a description whose title alone decided the occupation
    /// (a rule or the occupation's name or alias, trusted at fine level, at
    /// least `min_score` confident): the examples.
    pub examples: u64,
}

/// Counts the examples of the canonical postings under `dir`, in parallel by
/// row group; postings whose id is in `exclude` are left out (a gold set's,
/// so that it can be evaluated on).
pub fn learn(
    classifier: &Classifier,
    dir: &Path,
    exclude: &HashSet<String>,
    o: &LearnOptions,
) -> Result<(DescriptionCounts, LearnReport)> {
    let files = zhiye_ingest::list_parquet(dir)?;
    let cols = ["posting_id", "title", "description"];
    let mut usable = Vec::new();
    for f in files {
        let names = zhiye_ingest::column_names(&f)?;
        if cols.iter().all(|c| names.iter().any(|n| n == c)) {
            usable.push(f);
        }
    }
    let parts = zhiye_ingest::scan_row_groups(&usable, &cols, 8192, |_, batches| {
        let mut counts = DescriptionCounts::default();
        let mut report = LearnReport::default();
        let mut s = Scratch::new();
        for b in batches {
            let (ids, titles, descs) =
                (b.column(0).as_string::<i32>(), b.column(1).as_string::<i32>(), b.column(2).as_string::<i32>());
            for i in 0..b.num_rows() {
                report.postings += 1;
                if !ids.is_null(i) && exclude.contains(ids.value(i)) {
                    report.excluded += 1;
                    continue;
                }
                if titles.is_null(i) || descs.is_null(i) || descs.value(i).is_empty() {
                    continue;
                }
                let out = classifier.classify(titles.value(i), None, &mut s);
                let decided = matches!(out.method, Method::Rule | Method::Exact | Method::Alias);
                if let Some(code) = out.code.filter(|_| decided && out.level == Level::Fine && out.score >= o.min_score)
                {
                    counts.add(code, descs.value(i));
                    report.examples += 1;
                }
            }
        }
        Ok((counts, report))
    })?;
    let mut counts = DescriptionCounts::default();
    let mut report = LearnReport::default();
    for (c, r) in parts {
        counts.merge(c);
        report.postings += r.postings;
        report.excluded += r.excluded;
        report.examples += r.examples;
    }
    Ok((counts, report))
}
