//! The de-duplication pass: keys of every posting, then the sweep.

use std::path::PathBuf;

use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Array, StringArray};
use zhiye_agg::{DedupRow, DedupStats, dedup_key_with, find_duplicates};
use zhiye_ingest::{col, fold_row_groups};

use super::{BATCH_ROWS, global_row, string_column};
use crate::{PipelineError, Result};

fn value(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) { "" } else { a.value(i) }
}

/// Reposts of the corpus: `(row, dup_of)` pairs sorted by global row, and the rates.
pub(crate) fn find_reposts(files: &[PathBuf], window_days: i32) -> Result<(Vec<(u64, u64)>, DedupStats)> {
    let columns = [col::COMPANY, col::TITLE, col::CITY, col::POSTED_AT];
    let (mut rows, total) = fold_row_groups(
        files,
        &columns,
        BATCH_ROWS,
        String::new,
        || (Vec::new(), 0u64),
        |buf, (acc, total): &mut (Vec<DedupRow>, u64), g, batches| {
            let file = files.binary_search(&g.path).unwrap_or_default();
            let mut row = g.first_row;
            for batch in batches {
                let batch = batch?;
                let text = |name| string_column(&batch, name, &g.path);
                let (company, title, city) = (text(col::COMPANY)?, text(col::TITLE)?, text(col::CITY)?);
                let dates = batch
                    .column_by_name(col::POSTED_AT)
                    .and_then(|a| a.as_primitive_opt::<Date32Type>())
                    .ok_or_else(|| PipelineError::Input {
                        path: g.path.clone(),
                        row: 0,
                        field: col::POSTED_AT.into(),
                        message: "not a date32 column".into(),
                    })?;
                for i in 0..batch.num_rows() {
                    if let Some(key) = dedup_key_with(value(company, i), value(title, i), value(city, i), buf) {
                        let date = (!dates.is_null(i)).then(|| dates.value(i));
                        acc.push(DedupRow { key, date, row: global_row(file, row) });
                    }
                    row += 1;
                }
                *total += batch.num_rows() as u64;
            }
            Ok::<(), PipelineError>(())
        },
        |(mut a, n), (b, m)| {
            a.extend(b);
            (a, n + m)
        },
    )?;
    let keyed = rows.len() as u64;
    let pairs = find_duplicates(&mut rows, window_days);
    let stats = DedupStats { rows: total, keyed, duplicates: pairs.len() as u64 };
    Ok((pairs, stats))
}
