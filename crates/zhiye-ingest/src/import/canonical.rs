//! Canonical rows in Arrow builders, flushed as batches of
//! [`crate::posting_schema`].

use std::sync::Arc;

use arrow_array::builder::{Date32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};

use super::mapping::Canonical;
use crate::posting_schema;

/// One builder per canonical column (the `posted_at` slot's string builder
/// is unused: dates have their own).
pub(crate) struct CanonicalBatch {
    text: Vec<StringBuilder>,
    dates: Date32Builder,
    rows: usize,
}

impl CanonicalBatch {
    pub(crate) fn new() -> CanonicalBatch {
        CanonicalBatch {
            text: Canonical::ALL.iter().map(|_| StringBuilder::new()).collect(),
            dates: Date32Builder::new(),
            rows: 0,
        }
    }

    /// Appends a row: `values` by [`Canonical::index`], empty meaning null
    /// (`posting_id` and `platform` must be non-empty); `date` as Date32 days.
    pub(crate) fn push(&mut self, values: &[String], date: Option<i32>) {
        for c in Canonical::ALL {
            if c == Canonical::PostedAt {
                self.dates.append_option(date);
                continue;
            }
            let v = &values[c.index()];
            let b = &mut self.text[c.index()];
            if v.is_empty() { b.append_null() } else { b.append_value(v) }
        }
        self.rows += 1;
    }

    pub(crate) fn len(&self) -> usize {
        self.rows
    }

    /// The rows so far as a batch; the builders start over.
    pub(crate) fn finish(&mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = Canonical::ALL
            .iter()
            .map(|&c| -> ArrayRef {
                if c == Canonical::PostedAt {
                    Arc::new(self.dates.finish())
                } else {
                    Arc::new(self.text[c.index()].finish())
                }
            })
            .collect();
        self.rows = 0;
        RecordBatch::try_new(posting_schema(), columns).expect("columns built in schema order and types")
    }
}
