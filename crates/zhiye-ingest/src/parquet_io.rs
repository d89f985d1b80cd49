//! Parquet partitions: atomic writing ([`ParquetSink`]) and parallel reading by
//! row group with column projection ([`scan_row_groups`]).

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowSchemaConverter, ArrowWriter};
use parquet::basic::{Compression, Type as PhysicalType, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

use crate::{IngestError, Result};

/// Rows per Arrow batch, the one batch size of zhiye: the importers build
/// batches of it, every stage of `zhiye run` and the benchmark read and write
/// in it. Large enough to amortise per-batch work, small enough that a batch
/// of postings (~4 MB of text) stays a small share of a worker's memory.
pub const BATCH_ROWS: usize = 8192;

/// Rows per Parquet row group written by [`ParquetSink`]: large enough for
/// efficient scans, small enough that one group per thread keeps memory flat.
/// The reader holds a row group's compressed column chunks while it decodes
/// them: with ~300-character descriptions, 16k rows are about 5 MB per thread
/// (64k rows made the main pass's peak grow by 50 MB from 1M to 10M postings,
/// whose month files hold several full groups).
pub const ROW_GROUP_ROWS: usize = 16 * 1024;

/// Top-level columns that hold a different value in nearly every row,
/// written without a dictionary.
const PER_POSTING_COLUMNS: [&str; 2] = [crate::col::POSTING_ID, "row"];

/// Writes one Parquet file atomically: rows go to a hidden temporary file in
/// the same folder, renamed into place by [`ParquetSink::finish`]. A sink
/// dropped without `finish` removes its temporary file, so readers never see a
/// partial file.
#[derive(Debug)]
pub struct ParquetSink {
    path: PathBuf,
    /// Removed when dropped, unless persisted by `finish`.
    tmp: tempfile::NamedTempFile,
    writer: ArrowWriter<File>,
    rows: usize,
}

impl ParquetSink {
    /// Creates the temporary file (and the parent folders) for `path`, with
    /// row groups of [`ROW_GROUP_ROWS`].
    pub fn create(path: impl Into<PathBuf>, schema: SchemaRef) -> Result<ParquetSink> {
        ParquetSink::with_row_group_rows(path, schema, ROW_GROUP_ROWS)
    }

    /// Like [`ParquetSink::create`] with row groups of at most `rows` rows:
    /// the writer buffers a whole row group, so a smaller one bounds the
    /// memory of a stage that writes while it reads.
    pub fn with_row_group_rows(path: impl Into<PathBuf>, schema: SchemaRef, rows: usize) -> Result<ParquetSink> {
        let path = path.into();
        let tmp = zhiye_core::fs::temp_beside(&path).map_err(IngestError::io(&path))?;
        let file = tmp.as_file().try_clone().map_err(IngestError::io(tmp.path()))?;
        let mut props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("valid level")))
            .set_max_row_group_row_count(Some(rows.max(1)));
        // Floating-point columns (scores, shares, rates) hold nearly every
        // value once: a dictionary costs a hash per value and saves nothing.
        let leaves = ArrowSchemaConverter::new().convert(&schema).map_err(IngestError::parquet(&path))?;
        // Nor do the columns with a value per posting (its id, its row
        // number): the dictionary hashed every one, then overflowed.
        for leaf in leaves.columns() {
            let float = matches!(leaf.physical_type(), PhysicalType::FLOAT | PhysicalType::DOUBLE);
            if float || PER_POSTING_COLUMNS.contains(&leaf.path().string().as_str()) {
                props = props.set_column_dictionary_enabled(leaf.path().clone(), false);
            }
        }
        let props = props.build();
        let writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(IngestError::parquet(tmp.path()))?;
        Ok(ParquetSink { path, tmp, writer, rows: 0 })
    }

    /// Appends a batch.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        self.rows += batch.num_rows();
        self.writer.write(batch).map_err(IngestError::parquet(self.tmp.path()))
    }

    /// Closes the file, syncs it and renames it into place; returns the rows written.
    pub fn finish(self) -> Result<usize> {
        self.writer.close().map_err(IngestError::parquet(self.tmp.path()))?;
        zhiye_core::fs::persist(self.tmp, &self.path).map_err(IngestError::io(&self.path))?;
        Ok(self.rows)
    }
}

/// Writes `batches` to `path` atomically; returns the rows written.
pub fn write_parquet(path: impl Into<PathBuf>, schema: SchemaRef, batches: &[RecordBatch]) -> Result<usize> {
    let mut sink = ParquetSink::create(path, schema)?;
    for b in batches {
        sink.write(b)?;
    }
    sink.finish()
}

/// The `.parquet` files under `dir` (recursively, hidden files skipped), sorted
/// by path so that every run sees them in the same order.
pub fn list_parquet(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(IngestError::io(&d))? {
            let entry = entry.map_err(IngestError::io(&d))?;
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let kind = entry.file_type().map_err(IngestError::io(&path))?;
            if hidden {
                continue;
            } else if kind.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One unit of parallel reading: a row group of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowGroupRef {
    /// The file.
    pub path: PathBuf,
    /// Row group index within the file.
    pub row_group: usize,
    /// Index of the file's first row of this group, for row numbers in errors.
    pub first_row: u64,
    /// Rows in the group, from the file's metadata.
    pub rows: u64,
}

/// Lists the row groups of `files`, in file order.
pub fn row_groups(files: &[PathBuf]) -> Result<Vec<RowGroupRef>> {
    let mut out = Vec::new();
    for path in files {
        let file = File::open(path).map_err(IngestError::io(path))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(IngestError::parquet(path))?;
        let mut first_row = 0u64;
        for (i, rg) in builder.metadata().row_groups().iter().enumerate() {
            out.push(RowGroupRef { path: path.clone(), row_group: i, first_row, rows: rg.num_rows() as u64 });
            first_row += rg.num_rows() as u64;
        }
    }
    Ok(out)
}

/// Reads every row group of `files` in parallel (rayon work stealing; one row
/// group per task, so memory stays at about one group per thread), projected
/// onto `columns`, in batches of at most `batch_rows`, and calls `f` on each
/// group's batches. Results come back in file and row-group order.
///
/// A column of `columns` missing from a file is an error naming file and column.
pub fn scan_row_groups<R, F>(files: &[PathBuf], columns: &[&str], batch_rows: usize, f: F) -> Result<Vec<R>>
where
    R: Send,
    F: Fn(&RowGroupRef, Vec<RecordBatch>) -> Result<R> + Sync + Send,
{
    row_groups(files)?.par_iter().map(|g| f(g, read_row_group(g, columns, batch_rows)?)).collect()
}

/// Checks that `path` is posting Parquet a run can read: its footer parses
/// and its schema holds each of `columns` with the type of the canonical
/// [`posting_schema`](crate::posting_schema). Returns its rows, from the footer.
pub fn check_posting_file(path: &Path, columns: &[&str]) -> Result<u64> {
    let file = File::open(path).map_err(IngestError::io(path))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(IngestError::parquet(path))?;
    let canonical = crate::posting_schema();
    for &name in columns {
        let schema = |message: String| IngestError::Schema { path: path.into(), column: name.into(), message };
        let found = builder.schema().field_with_name(name).map_err(|_| schema("missing".into()))?;
        if let Ok(want) = canonical.field_with_name(name)
            && found.data_type() != want.data_type()
        {
            return Err(schema(format!("is {}, not {}", found.data_type(), want.data_type())));
        }
    }
    Ok(u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0))
}

/// The column names of a Parquet file's schema.
pub fn column_names(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path).map_err(IngestError::io(path))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(IngestError::parquet(path))?;
    Ok(builder.schema().fields().iter().map(|f| f.name().clone()).collect())
}

/// Reads one row group, projected onto `columns` (in the file's column order).
pub fn read_row_group(g: &RowGroupRef, columns: &[&str], batch_rows: usize) -> Result<Vec<RecordBatch>> {
    row_group_batches(g, columns, batch_rows)?.collect()
}

/// Streams one row group, projected onto `columns`, in batches of at most
/// `batch_rows`: only one batch is decoded at a time.
pub fn row_group_batches<'a>(
    g: &'a RowGroupRef,
    columns: &[&str],
    batch_rows: usize,
) -> Result<impl Iterator<Item = Result<RecordBatch>> + 'a> {
    let file = File::open(&g.path).map_err(IngestError::io(&g.path))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(IngestError::parquet(&g.path))?;
    let schema = builder.parquet_schema();
    let mut leaves = Vec::with_capacity(columns.len());
    for &name in columns {
        let i = (0..schema.num_columns()).find(|&i| schema.column(i).name() == name).ok_or_else(|| {
            IngestError::Schema { path: g.path.clone(), column: name.into(), message: "missing from the file".into() }
        })?;
        leaves.push(i);
    }
    let mask = ProjectionMask::leaves(schema, leaves);
    let reader = builder
        .with_projection(mask)
        .with_row_groups(vec![g.row_group])
        .with_batch_size(batch_rows)
        .build()
        .map_err(IngestError::parquet(&g.path))?;
    Ok(reader.map(move |b| b.map_err(|source| IngestError::Arrow { path: g.path.clone(), source })))
}

/// Folds every row group of `files` in parallel into one accumulator, with
/// memory bounded whatever the corpus size: each task streams one row group
/// batch by batch (`fold` sees an iterator, not a vector), and accumulators
/// are merged as tasks finish rather than collected.
///
/// `init` makes per-thread state (e.g. scratch buffers); `identity` an empty
/// accumulator; `fold` adds one row group to an accumulator; `merge` combines
/// two. `merge` must be associative and commutative for the result not to
/// depend on scheduling.
pub fn fold_row_groups<S, A, E, I, Z, F, M>(
    files: &[PathBuf],
    columns: &[&str],
    batch_rows: usize,
    init: I,
    identity: Z,
    fold: F,
    merge: M,
) -> Result<A, E>
where
    A: Send,
    E: From<IngestError> + Send,
    I: Fn() -> S + Sync + Send,
    Z: Fn() -> A + Sync + Send,
    F: Fn(&mut S, &mut A, &RowGroupRef, &mut dyn Iterator<Item = Result<RecordBatch>>) -> Result<(), E> + Sync + Send,
    M: Fn(A, A) -> A + Sync + Send,
{
    let groups = row_groups(files)?;
    groups
        .par_iter()
        .map_init(init, |state, g| {
            let mut acc = identity();
            let mut batches = row_group_batches(g, columns, batch_rows).map_err(E::from)?;
            fold(state, &mut acc, g, &mut batches)?;
            Ok(acc)
        })
        .try_reduce(&identity, |a, b| Ok(merge(a, b)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Array, Int64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    use super::*;

    /// Floating-point columns, nested ones too, are written without a
    /// dictionary; the others keep theirs; the values read back.
    #[test]
    fn floats_are_written_without_a_dictionary() {
        use arrow_array::types::Float32Type;
        use arrow_array::{Float32Array, ListArray};
        use parquet::basic::Encoding;
        use parquet::file::reader::{FileReader, SerializedFileReader};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.parquet");
        let n = 1000;
        let score = Field::new("score", DataType::Float32, false);
        let top = ListArray::from_iter_primitive::<Float32Type, _, _>((0..n).map(|i| Some([Some(i as f32 / 7.0)])));
        let schema = Arc::new(Schema::new(vec![
            score.clone(),
            Field::new("top", top.data_type().clone(), false),
            Field::new("s", DataType::Utf8, false),
        ]));
        let scores = Float32Array::from_iter_values((0..n).map(|i| i as f32 / 3.0));
        let strings = StringArray::from_iter_values((0..n).map(|i| (i % 5).to_string()));
        let batch =
            RecordBatch::try_new(schema.clone(), vec![Arc::new(scores), Arc::new(top), Arc::new(strings)]).unwrap();
        let mut sink = ParquetSink::create(&path, schema).unwrap();
        sink.write(&batch).unwrap();
        sink.finish().unwrap();

        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let group = reader.metadata().row_group(0);
        let dictionary = |i: usize| {
            let c = group.column(i);
            (
                c.column_path().string(),
                c.encodings().any(|e| e == Encoding::RLE_DICTIONARY || e == Encoding::PLAIN_DICTIONARY),
            )
        };
        assert_eq!(dictionary(0), ("score".to_string(), false));
        assert_eq!(dictionary(1), ("top.list.item".to_string(), false));
        assert_eq!(dictionary(2), ("s".to_string(), true));
        let back: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap())
            .and_then(|b| b.with_batch_size(n).build())
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0], batch);
    }

    #[test]
    fn atomic_write_then_parallel_projected_scan() {
        let dir = tempfile::tempdir().unwrap();
        let schema =
            Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false), Field::new("s", DataType::Utf8, true)]));
        let mut total = 0i64;
        for part in 0..3i64 {
            let n: Vec<i64> = (0..100_000).map(|i| i + part).collect();
            total += n.iter().sum::<i64>();
            let s = StringArray::from_iter_values(n.iter().map(|i| i.to_string()));
            let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(n)), Arc::new(s)]).unwrap();
            let path = dir.path().join(format!("m={part}/part.parquet"));
            let mut sink = ParquetSink::create(&path, schema.clone()).unwrap();
            sink.write(&batch).unwrap();
            assert!(!path.exists(), "visible before finish");
            assert_eq!(sink.finish().unwrap(), 100_000);
        }
        let files = list_parquet(dir.path()).unwrap();
        assert_eq!(files.len(), 3);
        let groups = row_groups(&files).unwrap();
        assert_eq!(groups.len(), 3 * 100_000usize.div_ceil(ROW_GROUP_ROWS));
        let sums = scan_row_groups(&files, &["n"], 10_000, |_, batches| {
            let mut s = 0i64;
            for b in batches {
                assert_eq!(b.num_columns(), 1, "projection");
                let a = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
                s += a.iter().flatten().sum::<i64>();
                assert!(a.len() <= 10_000);
            }
            Ok(s)
        })
        .unwrap();
        assert_eq!(sums.iter().sum::<i64>(), total);
        let folded: Result<(i64, usize)> = fold_row_groups(
            &files,
            &["n"],
            4096,
            || (),
            || (0i64, 0usize),
            |_, acc, _, batches| {
                for b in batches {
                    let b = b?;
                    assert!(b.num_rows() <= 4096, "streamed in bounded batches");
                    let a = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
                    acc.0 += a.iter().flatten().sum::<i64>();
                    acc.1 += 1;
                }
                Ok(())
            },
            |a, b| (a.0 + b.0, a.1 + b.1),
        );
        let (sum, batches) = folded.unwrap();
        assert_eq!(sum, total);
        let per_file = ROW_GROUP_ROWS.div_ceil(4096) + (100_000 - ROW_GROUP_ROWS).div_ceil(4096);
        assert_eq!(batches, 3 * per_file, "batches never span row groups");
        let err = scan_row_groups(&files, &["nope"], 10, |_, _| Ok(())).unwrap_err().to_string();
        assert!(err.contains("part.parquet") && err.contains("nope"), "{err}");
    }

    #[test]
    fn dropped_sink_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        drop(ParquetSink::create(dir.path().join("x.parquet"), schema).unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
