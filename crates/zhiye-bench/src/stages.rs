//! The read, parse, classify and write stages, each timed on its own.
//!
//! The corpus is processed in chunks of row groups (about 64k postings per
//! worker): a chunk is read into memory, then parsed, classified and written,
//! each stage a parallel pass of its own over the chunk, timed and measured
//! separately. Chunks keep memory bounded whatever the corpus size, and each
//! stage sees in-memory input, as it would in isolation. Within a stage the
//! work is split into slices of [`PIECE_ROWS`] so that threads finish together.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use rayon::prelude::*;
use zhiye_ingest::{ParquetSink, RowGroupRef, col, read_row_group};
use zhiye_postings::PostingCoder;
use zhiye_text::{Classifier, MemoStats, Scratches, classify_batch};

use super::corpus::{Corpus, READ_COLUMNS};
use super::report::Measured;
use super::rss::RssMeter;
use super::{BenchError, Result};
use zhiye_ingest::BATCH_ROWS;
use zhiye_pipeline::run::pool::Pool;

/// Rows per unit of parallel work within a stage (zero-copy slices).
pub(crate) const PIECE_ROWS: usize = 2048;

/// Postings per chunk and worker.
const CHUNK_ROWS_PER_THREAD: u64 = 64 * 1024;

/// The four stages, and classification at one thread on the first chunks.
#[derive(Debug, Default)]
pub(crate) struct StageTallies {
    pub(crate) read: Measured,
    pub(crate) parse: Measured,
    pub(crate) classify: Measured,
    pub(crate) write: Measured,
    /// Postings classified at both thread counts, and the seconds at each
    /// (`None` at one thread).
    pub(crate) efficiency: Option<(u64, f64, f64)>,
    /// The title memos of the classify stage's workers.
    pub(crate) memo: MemoStats,
}

/// What the stages need.
pub(crate) struct StageInputs<'a> {
    pub(crate) corpus: &'a Corpus,
    pub(crate) classifier: &'a Classifier,
    pub(crate) coder: &'a PostingCoder,
    pub(crate) threads: usize,
    /// Postings also classified at one thread (whole chunks, at least one).
    pub(crate) efficiency_postings: u64,
    /// Folder the write stage writes to.
    pub(crate) out: &'a Path,
}

/// Runs the stages over the corpus, chunk by chunk.
pub(crate) fn run_stages(inputs: &StageInputs<'_>, meter: &mut RssMeter) -> Result<StageTallies> {
    let pool = Pool::new(inputs.threads)?;
    let single = if inputs.threads > 1 { Some(Pool::new(1)?) } else { None };
    let mut tallies = StageTallies::default();
    // One scratch per worker for the whole corpus, as `zhiye run` keeps them;
    // the one-thread pass has its own, so both read the titles from scratch.
    let (mut scratches, single_scratches) = (Scratches::new(), Scratches::new());
    let result = chunks(inputs, &pool, single.as_ref(), (&scratches, &single_scratches), meter, &mut tallies);
    tallies.memo = scratches.memo_stats();
    pool.close();
    if let Some(s) = single {
        s.close();
    }
    result.map(|()| tallies)
}

fn chunks(
    inputs: &StageInputs<'_>,
    pool: &Pool,
    single: Option<&Pool>,
    scratches: (&Scratches, &Scratches),
    meter: &mut RssMeter,
    tallies: &mut StageTallies,
) -> Result<()> {
    let corpus = inputs.corpus;
    let per_chunk = CHUNK_ROWS_PER_THREAD * inputs.threads as u64;
    let mut first = 0;
    while first < corpus.groups.len() {
        let mut last = first;
        let mut rows = 0;
        while last < corpus.groups.len() && (last == first || rows < per_chunk) {
            rows += corpus.groups[last].rows;
            last += 1;
        }
        let groups = &corpus.groups[first..last];

        let start = meter.start();
        let t = Instant::now();
        let read: Vec<Vec<RecordBatch>> = pool.install(|| {
            groups.par_iter().map(|g| read_row_group(g, &READ_COLUMNS, BATCH_ROWS)).collect::<Result<_, _>>()
        })?;
        let seconds = t.elapsed().as_secs_f64();
        tallies.read.add(rows, seconds, corpus.group_bytes[first..last].iter().sum(), meter.stop(start));

        let pieces = pieces(read);
        let text: u64 = pieces.iter().map(|p| text_bytes(&p.batch)).sum();

        let start = meter.start();
        let t = Instant::now();
        let parsed: Vec<Vec<(Field, ArrayRef)>> = pool.install(|| {
            pieces
                .par_iter()
                .map(|p| super::parse::parse_batch(&p.batch, inputs.coder))
                .collect::<zhiye_text::Result<_>>()
        })?;
        tallies.parse.add(rows, t.elapsed().as_secs_f64(), text, meter.stop(start));

        let start = meter.start();
        let t = Instant::now();
        let classified = pool.install(|| classify_pieces(inputs.classifier, &pieces, scratches.0))?;
        let seconds = t.elapsed().as_secs_f64();
        tallies.classify.add(rows, seconds, text, meter.stop(start));

        let sampled = tallies.efficiency.map_or(0, |e| e.0);
        if let Some(single) = single.filter(|_| sampled < inputs.efficiency_postings.max(1)) {
            let t = Instant::now();
            let again = single.install(|| classify_pieces(inputs.classifier, &pieces, scratches.1))?;
            let one = t.elapsed().as_secs_f64();
            drop(again);
            let (n, s1, st) = tallies.efficiency.unwrap_or_default();
            tallies.efficiency = Some((n + rows, s1 + one, st + seconds));
        }

        let start = meter.start();
        let t = Instant::now();
        let written: u64 = pool.install(|| {
            (0..groups.len())
                .into_par_iter()
                .map(|gi| {
                    let range = pieces.partition_point(|p| p.group < gi)..pieces.partition_point(|p| p.group <= gi);
                    write_group(inputs, &groups[gi], &pieces[range.clone()], &parsed[range.clone()], &classified[range])
                })
                .sum::<Result<u64>>()
        })?;
        tallies.write.add(written, t.elapsed().as_secs_f64(), text, meter.stop(start));
        first = last;
    }
    Ok(())
}

/// A slice of a row group's rows.
struct Piece {
    group: usize,
    /// Row of the group the slice starts at.
    row: u64,
    batch: RecordBatch,
}

/// The chunk's batches as slices of at most [`PIECE_ROWS`], in group order.
fn pieces(read: Vec<Vec<RecordBatch>>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (group, batches) in read.into_iter().enumerate() {
        let mut row = 0;
        for b in batches {
            for offset in (0..b.num_rows()).step_by(PIECE_ROWS) {
                let len = PIECE_ROWS.min(b.num_rows() - offset);
                pieces.push(Piece { group, row, batch: b.slice(offset, len) });
                row += len as u64;
            }
        }
    }
    pieces
}

fn strings<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b StringArray> {
    batch
        .column_by_name(name)
        .and_then(|a| a.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| BenchError::Options(format!("the corpus has no string column {name}")))
}

/// Bytes of title and description text (the classifier's input).
fn text_bytes(batch: &RecordBatch) -> u64 {
    [col::TITLE, col::DESCRIPTION]
        .iter()
        .filter_map(|name| strings(batch, name).ok())
        .map(|a| {
            let offsets = a.value_offsets();
            (offsets[a.len()] - offsets[0]) as u64
        })
        .sum()
}

fn classify_pieces(classifier: &Classifier, pieces: &[Piece], scratches: &Scratches) -> Result<Vec<RecordBatch>> {
    let batches: Vec<&RecordBatch> = pieces.iter().map(|p| &p.batch).collect();
    classify_batches(classifier, &batches, scratches)
}

/// Classifies each batch's titles with its descriptions, in parallel on the
/// current pool, with each worker's scratch; results in input order.
pub(crate) fn classify_batches(
    classifier: &Classifier,
    batches: &[&RecordBatch],
    scratches: &Scratches,
) -> Result<Vec<RecordBatch>> {
    batches
        .par_iter()
        .map(|b| {
            let titles = strings(b, col::TITLE)?;
            let descriptions = strings(b, col::DESCRIPTION)?;
            Ok(scratches.with(|scratch| classify_batch(classifier, titles, Some(descriptions), scratch))?)
        })
        .collect()
}

/// Writes one row group's classified rows as the main pass does: identifying
/// columns, corpus row, repost flag (none here), parsed fields, classification.
fn write_group(
    inputs: &StageInputs<'_>,
    g: &RowGroupRef,
    pieces: &[Piece],
    parsed: &[Vec<(Field, ArrayRef)>],
    classified: &[RecordBatch],
) -> Result<u64> {
    let file = inputs.corpus.files.binary_search(&g.path).unwrap_or_default() as u64;
    let path = inputs.out.join(format!("f{file}-rg{}.parquet", g.row_group));
    let mut sink: Option<ParquetSink> = None;
    for ((piece, parsed), classified) in pieces.iter().zip(parsed).zip(classified) {
        let input = &piece.batch;
        let n = input.num_rows();
        let mut fields: Vec<Arc<Field>> = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for name in
            [col::POSTING_ID, col::PLATFORM, col::POSTED_AT, col::TITLE, col::CITY, col::INDUSTRY, col::TRUE_CODE]
        {
            if let Ok(i) = input.schema().index_of(name) {
                fields.push(Arc::new(input.schema().field(i).clone()));
                columns.push(input.column(i).clone());
            }
        }
        // The corpus row: file index in the high 24 bits, row within the file in the low 40.
        let first = (file << 40) | (g.first_row + piece.row);
        fields.push(Arc::new(Field::new("row", DataType::UInt64, false)));
        columns.push(Arc::new(UInt64Array::from_iter_values(first..first + n as u64)));
        fields.push(Arc::new(Field::new("dup_of", DataType::UInt64, true)));
        columns.push(Arc::new(UInt64Array::new_null(n)));
        for (field, column) in parsed {
            fields.push(Arc::new(field.clone()));
            columns.push(column.clone());
        }
        fields.extend(classified.schema().fields().iter().cloned());
        columns.extend(classified.columns().iter().cloned());
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .map_err(|e| BenchError::Options(format!("classified batch: {e}")))?;
        let sink = match &mut sink {
            Some(s) => s,
            None => sink.insert(ParquetSink::with_row_group_rows(&path, batch.schema(), BATCH_ROWS)?),
        };
        sink.write(&batch)?;
    }
    Ok(match sink {
        Some(s) => s.finish()? as u64,
        None => 0,
    })
}
