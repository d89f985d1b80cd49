//! The main pass: classify, flag reposts, count, write classified postings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch, UInt64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rustc_hash::FxHashMap;
use zhiye_agg::OccupationYear;
use zhiye_core::AggregateConfig;
use zhiye_core::OcdCode;
use zhiye_ingest::{ParquetSink, RowGroupRef, column_names, row_group_batches};
use zhiye_postings::{OPTIONAL_COLUMNS, PostingCoder, REQUIRED_COLUMNS};
use zhiye_text::{Classifier, Scratch, TextError};

use super::repost_file::RepostFile;
use super::tally::truth_counts;
use super::{BATCH_ROWS, Totals, global_row};
use crate::{PipelineError, Result};

/// Shared, read-only state of the per-row-group work.
pub(crate) struct ClassifyStage<'a> {
    classifier: &'a Classifier,
    /// Occupation number by code; Fx, not SipHash: it is asked once per posting.
    occupation_of: FxHashMap<OcdCode, usize>,
    /// Columns read: the required ones and the optional ones every file has.
    columns: Vec<&'static str>,
    coder: PostingCoder,
    missing_headcount: u32,
    files: &'a [PathBuf],
    reposts: &'a RepostFile,
}

impl<'a> ClassifyStage<'a> {
    pub(crate) fn new(
        classifier: &'a Classifier,
        files: &'a [PathBuf],
        reposts: &'a RepostFile,
        aggregate: &AggregateConfig,
    ) -> Result<Self> {
        let occupation_of = classifier.codes().iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let mut columns = REQUIRED_COLUMNS.to_vec();
        for optional in OPTIONAL_COLUMNS {
            let mut everywhere = true;
            for f in files {
                everywhere &= column_names(f)?.iter().any(|c| c == optional);
            }
            if everywhere {
                columns.push(optional);
            }
        }
        let coder = PostingCoder::new(&aggregate.ai_keywords)?;
        let missing_headcount = aggregate.missing_headcount;
        Ok(ClassifyStage { classifier, occupation_of, columns, coder, missing_headcount, files, reposts })
    }

    /// Occupations the classifier knows (the size of the count vectors).
    pub(crate) fn occupations(&self) -> usize {
        self.classifier.codes().len()
    }

    /// The corpus rows of row group `g` with their repost anchors, in row order.
    fn cursor(&self, g: &RowGroupRef) -> Result<RepostCursor> {
        let file = self.files.binary_search(&g.path).unwrap_or_default();
        let mut pairs = Vec::new();
        self.reposts.range(global_row(file, g.first_row), global_row(file, g.first_row + g.rows), &mut pairs)?;
        Ok(RepostCursor { file, row: g.first_row, pairs, next: 0 })
    }

    /// The occupation number of a code the classifier gave.
    fn occupation(&self, code: Option<&str>) -> Option<usize> {
        code.and_then(|c| c.parse::<OcdCode>().ok()).and_then(|c| self.occupation_of.get(&c).copied())
    }

    /// Adds a classified batch's postings and vacancies to `counts`, and, when
    /// `truth` is given, its rows with a true code and those the code agrees
    /// with.
    fn count(
        &self,
        counts: &mut OccupationYear,
        truth: Option<(&mut u64, &mut u64)>,
        batch: &RecordBatch,
    ) -> std::result::Result<(), String> {
        let column = |name: &str| batch.column_by_name(name).ok_or_else(|| format!("no {name} column"));
        let codes = column("code")?.as_string_opt::<i32>().ok_or("code: not strings")?;
        let years = column("year")?.as_primitive_opt::<Int32Type>().ok_or("year: not int32")?;
        let heads = column("headcount")?.as_primitive_opt::<UInt32Type>().ok_or("headcount: not uint32")?;
        let dups = column("dup_of")?.as_primitive_opt::<UInt64Type>().ok_or("dup_of: not uint64")?;
        for i in 0..batch.num_rows() {
            let occupation = self.occupation((!codes.is_null(i)).then(|| codes.value(i)));
            let year = (!years.is_null(i)).then(|| years.value(i));
            let vacancies = if heads.is_null(i) { self.missing_headcount } else { heads.value(i) };
            counts.add(occupation, year, vacancies, !dups.is_null(i));
        }
        if let Some((with_truth, agree)) = truth {
            let (w, a) = truth_counts(batch, codes);
            *with_truth += w;
            *agree += a;
        }
        Ok(())
    }

    /// Classifies row group `g` of the corpus into the Parquet file `to`.
    pub(crate) fn classify(&self, scratch: &mut Scratch, g: &RowGroupRef, to: &Path) -> Result<Totals> {
        let mut totals = Totals::new(self.classifier.codes().len());
        let mut batches = row_group_batches(g, &self.columns, BATCH_ROWS)?;
        self.row_group(scratch, &mut totals, g, &mut batches, to)?;
        Ok(totals)
    }

    /// Rewrites the classified row group `from` (an earlier run's result for
    /// the same postings) into `to` with this run's row numbers and repost
    /// flags, and recounts what depends on them; the rest of `old` (its totals)
    /// carries over. No classification: this is what a partition costs when
    /// only its place in the corpus or its neighbours changed.
    pub(crate) fn reassemble(&self, g: &RowGroupRef, from: &Path, to: &Path, old: Totals) -> Result<Totals> {
        let mut cursor = self.cursor(g)?;
        let mut totals = Totals { counts: OccupationYear::new(self.classifier.codes().len()), ..old };
        let state = |message: String| PipelineError::State { path: from.into(), message };
        let arrow = |source| PipelineError::Arrow { path: from.into(), source };
        let input = std::fs::File::open(from).map_err(PipelineError::read(from))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(input)
            .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
            .map_err(|source| PipelineError::Parquet { path: from.into(), source })?;
        let mut sink: Option<ParquetSink> = None;
        let mut written = 0u64;
        for batch in reader {
            let batch = batch.map_err(arrow)?;
            let n = batch.num_rows();
            let mut rows = Vec::with_capacity(n);
            let mut dup_of = Vec::with_capacity(n);
            for _ in 0..n {
                let (id, dup) = cursor.next();
                rows.push(id);
                dup_of.push(dup);
            }
            let mut columns = batch.columns().to_vec();
            let schema = batch.schema();
            let at = |name: &str| schema.index_of(name).map_err(arrow);
            columns[at("row")?] = Arc::new(UInt64Array::from(rows));
            columns[at("dup_of")?] = Arc::new(UInt64Array::from(dup_of));
            let batch = RecordBatch::try_new(schema.clone(), columns).map_err(arrow)?;
            self.count(&mut totals.counts, None, &batch).map_err(&state)?;
            let sink = match &mut sink {
                Some(s) => s,
                None => sink.insert(ParquetSink::with_row_group_rows(to, schema, BATCH_ROWS)?),
            };
            sink.write(&batch)?;
            written += n as u64;
        }
        if let Some(s) = sink {
            s.finish()?;
        }
        if written != g.rows || written != totals.written {
            return Err(PipelineError::State {
                path: from.into(),
                message: format!(
                    "holds {written} rows, the row group {} of {} has {}",
                    g.row_group,
                    g.path.display(),
                    g.rows
                ),
            });
        }
        totals.outputs = vec![to.to_path_buf()];
        Ok(totals)
    }

    fn row_group(
        &self,
        scratch: &mut Scratch,
        totals: &mut Totals,
        g: &RowGroupRef,
        batches: &mut dyn Iterator<Item = zhiye_ingest::Result<RecordBatch>>,
        out_path: &Path,
    ) -> Result<()> {
        let path = &g.path;
        let mut sink: Option<ParquetSink> = None;
        let mut cursor = self.cursor(g)?;
        for batch in batches {
            let batch = batch?;
            let n = batch.num_rows();
            let mut rows = Vec::with_capacity(n);
            let mut dup_of = Vec::with_capacity(n);
            for _ in 0..n {
                let (id, dup) = cursor.next();
                rows.push(id);
                dup_of.push(dup);
            }
            let joined = self
                .coder
                .code(self.classifier, &batch, rows, dup_of, scratch, &mut totals.rates)
                .map_err(|e| input_error(path, e))?;
            totals.tallies.add(&joined);
            let truth = (&mut totals.with_truth, &mut totals.agree);
            self.count(&mut totals.counts, Some(truth), &joined)
                .map_err(|message| PipelineError::State { path: out_path.into(), message })?;
            let sink = match &mut sink {
                Some(s) => s,
                // Row groups of one batch: the writer then holds one batch per thread.
                None => sink.insert(ParquetSink::with_row_group_rows(out_path, joined.schema(), BATCH_ROWS)?),
            };
            sink.write(&joined)?;
        }
        if let Some(s) = sink {
            totals.written += s.finish()? as u64;
            totals.outputs.push(out_path.to_path_buf());
        }
        Ok(())
    }
}

/// Walks a row group's rows in order beside its `(row, dup_of)` pairs.
struct RepostCursor {
    file: usize,
    row: u64,
    pairs: Vec<(u64, u64)>,
    next: usize,
}

impl RepostCursor {
    /// The next row's corpus row number, and the anchor it reposts, if any.
    fn next(&mut self) -> (u64, Option<u64>) {
        let id = global_row(self.file, self.row);
        self.row += 1;
        match self.pairs.get(self.next) {
            Some(&(r, anchor)) if r == id => {
                self.next += 1;
                (id, Some(anchor))
            }
            _ => (id, None),
        }
    }
}

/// A batch of `path` the coder refused, as an input error naming the column.
fn input_error(path: &Path, e: TextError) -> PipelineError {
    match e {
        TextError::Column { column, message } => {
            PipelineError::Input { path: path.into(), row: 0, field: column, message }
        }
        other => other.into(),
    }
}
