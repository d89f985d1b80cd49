//! [`Tallies`]: counts of the classification's categorical columns.

use std::collections::BTreeMap;

use arrow_array::cast::AsArray;
use arrow_array::types::Float32Type;
use arrow_array::{Array, RecordBatch, StringArray};
use zhiye_ingest::col;

/// Rows by method, trusted level and rule.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tallies {
    pub(crate) methods: BTreeMap<String, u64>,
    pub(crate) levels: BTreeMap<String, u64>,
    pub(crate) rules: BTreeMap<String, u64>,
    /// Rows by confidence, in bins of 1/[`CONFIDENCE_BINS`].
    pub(crate) confidence: [u64; CONFIDENCE_BINS],
}

/// Rows of `batch` with a `true_code` (a synthetic corpus has one) and, of
/// those, rows whose `code` equals it; (0, 0) without the column.
pub(crate) fn truth_counts(batch: &RecordBatch, codes: &StringArray) -> (u64, u64) {
    let Some(truth) = batch.column_by_name(col::TRUE_CODE).and_then(|a| a.as_string_opt::<i32>()) else {
        return (0, 0);
    };
    let (mut with_truth, mut agree) = (0, 0);
    for i in (0..batch.num_rows()).filter(|&i| !truth.is_null(i)) {
        with_truth += 1;
        agree += u64::from(!codes.is_null(i) && codes.value(i) == truth.value(i));
    }
    (with_truth, agree)
}

/// Bins of the confidence histogram.
pub(crate) const CONFIDENCE_BINS: usize = 20;

impl Tallies {
    /// Counts the `method`, `level` and `rule` columns of a classified batch.
    pub(crate) fn add(&mut self, classified: &RecordBatch) {
        let count = |name: &str, into: &mut BTreeMap<String, u64>| {
            let Some(col) = classified.column_by_name(name).and_then(|a| a.as_string_opt::<i32>()) else { return };
            for v in col.iter().flatten() {
                match into.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        into.insert(v.to_string(), 1);
                    }
                }
            }
        };
        count("method", &mut self.methods);
        count("level", &mut self.levels);
        count("rule", &mut self.rules);
        if let Some(scores) = classified.column_by_name("score").and_then(|a| a.as_primitive_opt::<Float32Type>()) {
            for s in scores.iter().flatten() {
                let bin = (s.clamp(0.0, 1.0) * CONFIDENCE_BINS as f32) as usize;
                self.confidence[bin.min(CONFIDENCE_BINS - 1)] += 1;
            }
        }
    }

    pub(crate) fn merge(&mut self, other: Tallies) {
        for (mine, theirs) in
            [(&mut self.methods, other.methods), (&mut self.levels, other.levels), (&mut self.rules, other.rules)]
        {
            for (k, v) in theirs {
                *mine.entry(k).or_default() += v;
            }
        }
        for (mine, theirs) in self.confidence.iter_mut().zip(other.confidence) {
            *mine += theirs;
        }
    }
}
