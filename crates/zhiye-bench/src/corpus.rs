//! The benchmark corpus: generated once with a fixed seed, reused afterwards.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use zhiye_core::Taxonomy;
use zhiye_ingest::{RowGroupRef, col, list_parquet, read_row_group, row_groups};
use zhiye_synth::{GeneratorOptions, TitleStyle, generate_to_dir};

use super::{BenchError, Result};

/// Seed of the standard corpus: the same postings on every machine.
pub const SEED: u64 = 42;

/// The columns the main pass reads, which the read stage and the plain scan decode.
pub(crate) const READ_COLUMNS: [&str; 12] = zhiye_postings::INPUT_COLUMNS;

/// A corpus on disk.
#[derive(Debug)]
pub(crate) struct Corpus {
    pub(crate) dir: PathBuf,
    pub(crate) files: Vec<PathBuf>,
    /// Row groups in file order: the units of parallel work.
    pub(crate) groups: Vec<RowGroupRef>,
    /// Compressed bytes of [`READ_COLUMNS`] per row group (what a scan reads).
    pub(crate) group_bytes: Vec<u64>,
    pub(crate) postings: u64,
    /// Seconds spent generating it in this run, if it was absent.
    pub(crate) generated_seconds: Option<f64>,
}

impl Corpus {
    /// Compressed bytes of the read columns of the whole corpus.
    pub(crate) fn parquet_bytes(&self) -> u64 {
        self.group_bytes.iter().sum()
    }
}

/// Opens the corpus in `dir`, generating `postings` SYNTHETIC postings there
/// first (seed [`SEED`], on the current rayon pool) when it holds no Parquet.
/// A folder holding another number of postings is an error, never overwritten.
pub(crate) fn ensure(dir: &Path, postings: u64, titles: TitleStyle, taxonomy: &Taxonomy) -> Result<Corpus> {
    let mut files = if dir.exists() { list_parquet(dir)? } else { Vec::new() };
    let mut generated_seconds = None;
    if files.is_empty() {
        let options = GeneratorOptions::default().postings(postings).seed(SEED).titles(titles);
        let g = generate_to_dir(taxonomy, options, dir)
            .map_err(|source| BenchError::Generate { path: dir.into(), source })?;
        generated_seconds = Some(g.seconds);
        files = list_parquet(dir)?;
    }
    let groups = row_groups(&files)?;
    let found: u64 = groups.iter().map(|g| g.rows).sum();
    if found != postings {
        return Err(BenchError::CorpusSize { path: dir.into(), found, wanted: postings });
    }
    let group_bytes = column_bytes(&files)?;
    debug_assert_eq!(group_bytes.len(), groups.len());
    Ok(Corpus { dir: dir.into(), files, groups, group_bytes, postings, generated_seconds })
}

/// Compressed bytes of [`READ_COLUMNS`] in each row group, in file order.
fn column_bytes(files: &[PathBuf]) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for path in files {
        let file = File::open(path).map_err(BenchError::io(path))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| BenchError::Tool { tool: "parquet".into(), message: format!("{}: {e}", path.display()) })?;
        for rg in reader.metadata().row_groups() {
            let bytes = rg
                .columns()
                .iter()
                .filter(|c| READ_COLUMNS.contains(&c.column_descr().name()))
                .map(|c| c.compressed_size().max(0) as u64)
                .sum();
            out.push(bytes);
        }
    }
    Ok(out)
}

/// The first `n` postings of the corpus (file order), titles and descriptions
/// only, as batches of at most `batch_rows`.
pub(crate) fn head(corpus: &Corpus, n: u64, batch_rows: usize) -> Result<Vec<RecordBatch>> {
    let mut out = Vec::new();
    let mut left = n as usize;
    for g in &corpus.groups {
        if left == 0 {
            break;
        }
        for batch in read_row_group(g, &[col::TITLE, col::DESCRIPTION], batch_rows)? {
            let take = batch.num_rows().min(left);
            out.push(batch.slice(0, take));
            left -= take;
            if left == 0 {
                break;
            }
        }
    }
    Ok(out)
}

/// Writes `batches` (title, description) to `path` for the Python peer.
pub(crate) fn write_sample(path: &Path, batches: &[RecordBatch]) -> Result<()> {
    let schema = batches.first().map(|b| b.schema()).ok_or_else(|| BenchError::Options("an empty sample".into()))?;
    zhiye_ingest::write_parquet(path, schema, batches)?;
    Ok(())
}
