//! The physical floor: a plain parallel Parquet scan of the columns the main
//! pass reads, decoding every batch and doing nothing with it.

use std::time::Instant;

use rayon::prelude::*;
use zhiye_ingest::row_group_batches;

use super::corpus::{Corpus, READ_COLUMNS};
use super::{BenchError, Result};
use zhiye_ingest::BATCH_ROWS;
use zhiye_pipeline::run::pool::on_pool;

/// Scans the corpus on `threads` workers; returns the rows decoded and the seconds.
pub(crate) fn scan(corpus: &Corpus, threads: usize) -> Result<(u64, f64)> {
    on_pool(threads, || {
        let t = Instant::now();
        let rows = corpus
            .groups
            .par_iter()
            .map(|g| {
                let mut rows = 0u64;
                for batch in row_group_batches(g, &READ_COLUMNS, BATCH_ROWS)? {
                    rows += std::hint::black_box(batch?).num_rows() as u64;
                }
                Ok::<_, BenchError>(rows)
            })
            .sum::<Result<u64>>()?;
        Ok((rows, t.elapsed().as_secs_f64()))
    })?
}
