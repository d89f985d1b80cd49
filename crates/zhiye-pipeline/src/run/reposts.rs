//! The de-duplication pass: keys of every posting, then the sweep (by key
//! partition when the corpus is larger than the sweep's memory budget).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use arrow_array::{Array, StringArray};
use zhiye_ingest::{col, fold_row_groups};
use zhiye_postings::{DedupRow, DedupStats, dedup_key_with, find_duplicates};

use super::repost_file::{RepostFile, RepostWriter};
use super::{BATCH_ROWS, date_column, global_row, string_column};
use crate::{PipelineError, Result};

fn value(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) { "" } else { a.value(i) }
}

/// Reposts of the corpus: `(row, dup_of)` pairs sorted by global row, spilled
/// to `spill` (see [`RepostFile`]), and the rates.
///
/// The sweep holds 24 bytes per posting. When the corpus needs more than
/// `memory_bytes`, the four columns are still read once: each posting's
/// `(key, date, row)` goes to one of as many partition files as needed, by
/// key, and the partitions are swept one at a time (reposts share a key, so
/// every group is whole within one partition, and the sweep's result depends
/// only on the set of rows).
pub(crate) fn find_reposts(
    files: &[PathBuf],
    window_days: i32,
    memory_bytes: u64,
    spill: &Path,
) -> Result<(RepostFile, DedupStats)> {
    let rows_in_files: u64 = zhiye_ingest::row_groups(files)?.iter().map(|g| g.rows).sum();
    let parts = (rows_in_files * std::mem::size_of::<DedupRow>() as u64).div_ceil(memory_bytes.max(1)).max(1);
    let mut runs = RepostWriter::new(spill)?;
    let mut stats = DedupStats::default();
    if parts == 1 {
        // Each row group's rows stay a chunk until the end: concatenating as
        // tasks finish would double the peak through reallocation.
        let chunks = Mutex::new(Vec::new());
        stats.rows = keyed_rows(files, |rows| {
            chunks.lock().expect("no panic holding it").push(rows);
            Ok(())
        })?;
        let chunks = chunks.into_inner().expect("no panic holding it");
        let mut rows = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for chunk in chunks {
            rows.extend_from_slice(&chunk);
        }
        stats.keyed = rows.len() as u64;
        let pairs = find_duplicates(&mut rows, window_days);
        stats.duplicates = pairs.len() as u64;
        runs.add_run(pairs)?;
    } else {
        let partitions = Partitions::create(spill, parts)?;
        stats.rows = keyed_rows(files, |rows| partitions.append(rows))?;
        for p in 0..parts {
            let mut rows = partitions.read(p)?;
            stats.keyed += rows.len() as u64;
            let pairs = find_duplicates(&mut rows, window_days);
            stats.duplicates += pairs.len() as u64;
            runs.add_run(pairs)?;
        }
    }
    Ok((runs.finish()?, stats))
}

/// Reads employer, title, city and date of every posting, in parallel by row
/// group, and hands each row group's keyed postings to `sink`; returns the
/// number of postings read.
fn keyed_rows(files: &[PathBuf], sink: impl Fn(Vec<DedupRow>) -> Result<()> + Sync) -> Result<u64> {
    let columns = [col::COMPANY, col::TITLE, col::CITY, col::POSTED_AT];
    fold_row_groups(
        files,
        &columns,
        BATCH_ROWS,
        String::new,
        || 0u64,
        |buf, total: &mut u64, g, batches| {
            let mut acc = Vec::new();
            let file = files.binary_search(&g.path).unwrap_or_default();
            let mut row = g.first_row;
            for batch in batches {
                let batch = batch?;
                let text = |name| string_column(&batch, name, &g.path);
                let (company, title, city) = (text(col::COMPANY)?, text(col::TITLE)?, text(col::CITY)?);
                let dates = date_column(&batch, &g.path)?;
                for i in 0..batch.num_rows() {
                    if let Some(key) = dedup_key_with(value(company, i), value(title, i), value(city, i), buf) {
                        let date = (!dates.is_null(i)).then(|| dates.value(i));
                        acc.push(DedupRow { key, date, row: global_row(file, row) });
                    }
                    row += 1;
                }
                *total += batch.num_rows() as u64;
            }
            acc.shrink_to_fit();
            sink(acc)
        },
        |a, b| a + b,
    )
}

/// Key-partitioned spill files of keyed postings, 20 bytes each: key, date
/// (`i32::MIN` when unknown), row.
struct Partitions {
    paths: Vec<PathBuf>,
    writers: Vec<Mutex<BufWriter<File>>>,
}

const RECORD: usize = 20;
const NO_DATE: i32 = i32::MIN;

impl Partitions {
    fn create(dir: &Path, parts: u64) -> Result<Partitions> {
        let mut paths = Vec::new();
        let mut writers = Vec::new();
        for p in 0..parts {
            let path = dir.join(format!("keys-{p}.bin"));
            let file = File::create(&path).map_err(io(&path))?;
            writers.push(Mutex::new(BufWriter::with_capacity(64 << 10, file)));
            paths.push(path);
        }
        Ok(Partitions { paths, writers })
    }

    /// Appends each row to its key's partition.
    fn append(&self, rows: Vec<DedupRow>) -> Result<()> {
        let parts = self.paths.len() as u64;
        let mut buckets = vec![Vec::new(); self.paths.len()];
        for r in rows {
            let b: &mut Vec<u8> = &mut buckets[(r.key % parts) as usize];
            b.extend_from_slice(&r.key.to_le_bytes());
            b.extend_from_slice(&r.date.unwrap_or(NO_DATE).to_le_bytes());
            b.extend_from_slice(&r.row.to_le_bytes());
        }
        for (p, bytes) in buckets.iter().enumerate().filter(|(_, b)| !b.is_empty()) {
            let mut w = self.writers[p].lock().expect("no panic holding it");
            w.write_all(bytes).map_err(io(&self.paths[p]))?;
        }
        Ok(())
    }

    /// The rows of partition `p`; its file is removed.
    fn read(&self, p: u64) -> Result<Vec<DedupRow>> {
        let path = &self.paths[p as usize];
        self.writers[p as usize].lock().expect("no panic holding it").flush().map_err(io(path))?;
        let bytes = std::fs::read(path).map_err(io(path))?;
        std::fs::remove_file(path).map_err(io(path))?;
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        Ok(bytes
            .chunks_exact(RECORD)
            .map(|r| {
                let date = i32::from_le_bytes(r[8..12].try_into().expect("4 bytes"));
                DedupRow { key: word(&r[..8]), date: (date != NO_DATE).then_some(date), row: word(&r[12..]) }
            })
            .collect())
    }
}

/// I/O on the run's own spill files: reading one back fails only as writing it could.
fn io(path: &Path) -> impl Fn(std::io::Error) -> PipelineError + '_ {
    move |source| PipelineError::Write { path: path.to_path_buf(), source }
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
        assert_eq!(one, many, "seven partitions find exactly the single sweep's reposts");
        assert_eq!((s1.rows, s1.keyed, s1.duplicates), (s7.rows, s7.keyed, s7.duplicates));
        assert!(one.windows(2).all(|w| w[0].0 < w[1].0), "sorted by row");
    }
}
