//! The de-duplication pass: keys of every posting, then the sweep.

use std::path::{Path, PathBuf};

use arrow_array::{Array, StringArray};
use zhiye_agg::{DedupRow, DedupStats, dedup_key_with, find_duplicates};
use zhiye_ingest::{col, fold_row_groups};

use super::repost_file::{RepostFile, RepostWriter};
use super::{BATCH_ROWS, date_column, global_row, string_column};
use crate::{PipelineError, Result};

fn value(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) { "" } else { a.value(i) }
}

/// Reposts of the corpus: `(row, dup_of)` pairs sorted by global row, spilled
/// to `spill` (see [`RepostFile`]), and the rates. The sweep holds 24 bytes per
/// posting; to keep memory within `memory_bytes` whatever the corpus size,
/// the key space is split into as many passes as needed, each reading the
/// four columns again and keeping only the postings whose key falls in its
/// share (reposts share a key, so every group is whole within one pass).
pub(crate) fn find_reposts(
    files: &[PathBuf],
    window_days: i32,
    memory_bytes: u64,
    spill: &Path,
) -> Result<(RepostFile, DedupStats)> {
    let rows_in_files: u64 = zhiye_ingest::row_groups(files)?.iter().map(|g| g.rows).sum();
    let passes = (rows_in_files * std::mem::size_of::<DedupRow>() as u64).div_ceil(memory_bytes.max(1)).max(1);
    let mut runs = RepostWriter::new(spill)?;
    let mut stats = DedupStats::default();
    for pass in 0..passes {
        let (p, s) = sweep(files, window_days, passes, pass)?;
        runs.add_run(p)?;
        stats.rows = s.rows;
        stats.keyed += s.keyed;
        stats.duplicates += s.duplicates;
    }
    Ok((runs.finish()?, stats))
}

/// One pass: the postings whose key is `pass` modulo `passes`.
fn sweep(files: &[PathBuf], window_days: i32, passes: u64, pass: u64) -> Result<(Vec<(u64, u64)>, DedupStats)> {
    let columns = [col::COMPANY, col::TITLE, col::CITY, col::POSTED_AT];
    // Each row group's rows stay a chunk until the end: concatenating as tasks
    // finish would double the peak through reallocation.
    let (chunks, total) = fold_row_groups(
        files,
        &columns,
        BATCH_ROWS,
        String::new,
        || (Vec::new(), 0u64),
        |buf, (chunks, total): &mut (Vec<Vec<DedupRow>>, u64), g, batches| {
            let mut acc = Vec::new();
            let file = files.binary_search(&g.path).unwrap_or_default();
            let mut row = g.first_row;
            for batch in batches {
                let batch = batch?;
                let text = |name| string_column(&batch, name, &g.path);
                let (company, title, city) = (text(col::COMPANY)?, text(col::TITLE)?, text(col::CITY)?);
                let dates = date_column(&batch, &g.path)?;
                for i in 0..batch.num_rows() {
                    if let Some(key) = dedup_key_with(value(company, i), value(title, i), value(city, i), buf)
                        && key % passes == pass
                    {
                        let date = (!dates.is_null(i)).then(|| dates.value(i));
                        acc.push(DedupRow { key, date, row: global_row(file, row) });
                    }
                    row += 1;
                }
                *total += batch.num_rows() as u64;
            }
            acc.shrink_to_fit();
            chunks.push(acc);
            Ok::<(), PipelineError>(())
        },
        |(mut a, n), (b, m)| {
            a.extend(b);
            (a, n + m)
        },
    )?;
    let mut rows = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        rows.extend_from_slice(&chunk);
    }
    let keyed = rows.len() as u64;
    let pairs = find_duplicates(&mut rows, window_days);
    let stats = DedupStats { rows: total, keyed, duplicates: pairs.len() as u64 };
    Ok((pairs, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_over_shares_of_the_key_space_find_the_same_reposts() {
        let tax = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv");
        let taxonomy = zhiye_core::Taxonomy::from_path(tax).expect("run `make setup` first");
        let dir = tempfile::tempdir().unwrap();
        let opts = zhiye_synth::GeneratorOptions::default().postings(20_000).seed(5);
        zhiye_synth::generate_to_dir(&taxonomy, opts, dir.path()).unwrap();
        let files = zhiye_ingest::list_parquet(dir.path()).unwrap();
        let (one, s1) = find_reposts(&files, 30, u64::MAX, &dir.path().join("spill1")).unwrap();
        let (many, s7) = find_reposts(&files, 30, 20_000 * 24 / 7, &dir.path().join("spill7")).unwrap();
        let (one, many) = (one.all(), many.all());
        assert!(!one.is_empty());
        assert_eq!(one, many, "seven passes find exactly the single pass's reposts");
        assert_eq!((s1.rows, s1.keyed, s1.duplicates), (s7.rows, s7.keyed, s7.duplicates));
        assert!(one.windows(2).all(|w| w[0].0 < w[1].0), "sorted by row");
    }
}
