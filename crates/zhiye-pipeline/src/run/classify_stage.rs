//! The main pass: classify, flag reposts, count, write classified postings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use zhiye_agg::OccupationYear;
use zhiye_agg::date::civil_from_days;
use zhiye_core::AggregateConfig;
use zhiye_core::OcdCode;
use zhiye_ingest::{ParquetSink, RowGroupRef, col, column_names, row_group_batches};
use zhiye_text::{Classifier, KeywordMatcher, Scratch, classify_batch};

use super::fields::{FieldColumns, FieldInputs};
use super::repost_file::RepostFile;
use super::{BATCH_ROWS, Totals, date_column, global_row, string_column};
use crate::{PipelineError, Result};

/// Every column the main pass reads: the [`REQUIRED`] ones, then the [`OPTIONAL`].
pub(crate) const COLUMNS: [&str; 12] = [
    col::POSTING_ID,
    col::PLATFORM,
    col::POSTED_AT,
    col::TITLE,
    col::DESCRIPTION,
    col::CITY,
    col::INDUSTRY,
    col::SALARY_TEXT,
    col::EXPERIENCE_TEXT,
    col::EDUCATION_TEXT,
    col::HEADCOUNT_TEXT,
    col::TRUE_CODE,
];

/// Columns every corpus has.
const REQUIRED: &[&str] = COLUMNS.split_at(5).0;

/// Columns read when every file has them (absent: null).
const OPTIONAL: &[&str] = COLUMNS.split_at(5).1;

/// Shared, read-only state of the per-row-group work.
pub(crate) struct ClassifyStage<'a> {
    classifier: &'a Classifier,
    occupation_of: HashMap<OcdCode, usize>,
    /// Columns read: the required ones and the optional ones every file has.
    columns: Vec<&'static str>,
    ai: KeywordMatcher,
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
        let mut columns = REQUIRED.to_vec();
        for optional in OPTIONAL {
            let mut everywhere = true;
            for f in files {
                everywhere &= column_names(f)?.iter().any(|c| c == optional);
            }
            if everywhere {
                columns.push(optional);
            }
        }
        let ai = KeywordMatcher::new(&aggregate.ai_keywords)?;
        let missing_headcount = aggregate.missing_headcount;
        Ok(ClassifyStage { classifier, occupation_of, columns, ai, missing_headcount, files, reposts })
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

    fn has(&self, column: &str) -> bool {
        self.columns.contains(&column)
    }

    fn optional<'b>(&self, batch: &'b RecordBatch, name: &str, path: &Path) -> Result<Option<&'b StringArray>> {
        if self.has(name) { string_column(batch, name, path).map(Some) } else { Ok(None) }
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
        let input = std::fs::File::open(from).map_err(|e| state(e.to_string()))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(input)
            .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
            .map_err(|e| state(e.to_string()))?;
        let mut sink: Option<ParquetSink> = None;
        let mut written = 0u64;
        for batch in reader {
            let batch = batch.map_err(|e| state(e.to_string()))?;
            let n = batch.num_rows();
            let codes = string_column(&batch, "code", from)?;
            let years = batch.column_by_name("year").and_then(|a| a.as_primitive_opt::<Int32Type>());
            let heads = batch.column_by_name("headcount").and_then(|a| a.as_primitive_opt::<UInt32Type>());
            let (Some(years), Some(heads)) = (years, heads) else {
                return Err(PipelineError::State {
                    path: from.into(),
                    message: "not a classified row group (no year or headcount column)".into(),
                });
            };
            let mut rows = Vec::with_capacity(n);
            let mut dup_of = Vec::with_capacity(n);
            for i in 0..n {
                let (id, dup) = cursor.next();
                rows.push(id);
                dup_of.push(dup);
                let occupation = self.occupation((!codes.is_null(i)).then(|| codes.value(i)));
                let year = (!years.is_null(i)).then(|| years.value(i));
                let vacancies = if heads.is_null(i) { self.missing_headcount } else { heads.value(i) };
                totals.counts.add(occupation, year, vacancies, dup.is_some());
            }
            let mut columns = batch.columns().to_vec();
            let schema = batch.schema();
            let at = |name: &str| {
                schema.index_of(name).map_err(|e| PipelineError::State { path: from.into(), message: e.to_string() })
            };
            columns[at("row")?] = Arc::new(UInt64Array::from(rows));
            columns[at("dup_of")?] = Arc::new(UInt64Array::from(dup_of));
            let batch = RecordBatch::try_new(schema.clone(), columns)
                .map_err(|e| PipelineError::State { path: from.into(), message: e.to_string() })?;
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
            let titles = string_column(&batch, col::TITLE, path)?;
            let descriptions = string_column(&batch, col::DESCRIPTION, path)?;
            let inputs = FieldInputs {
                title: titles,
                description: descriptions,
                salary: self.optional(&batch, col::SALARY_TEXT, path)?,
                experience: self.optional(&batch, col::EXPERIENCE_TEXT, path)?,
                education: self.optional(&batch, col::EDUCATION_TEXT, path)?,
                headcount: self.optional(&batch, col::HEADCOUNT_TEXT, path)?,
            };
            let dates = date_column(&batch, &g.path)?;
            let classified = classify_batch(self.classifier, titles, Some(descriptions), scratch)?;
            totals.tallies.add(&classified);
            let codes = classified.column(0).as_string::<i32>();
            let truth = self.optional(&batch, col::TRUE_CODE, path)?;
            let mut fields = FieldColumns::with_capacity(batch.num_rows());
            let mut rows = Vec::with_capacity(batch.num_rows());
            let mut dup_of = Vec::with_capacity(batch.num_rows());
            for i in 0..batch.num_rows() {
                let (id, dup) = cursor.next();
                rows.push(id);
                dup_of.push(dup);
                let code = (!codes.is_null(i)).then(|| codes.value(i));
                let occupation = self.occupation(code);
                let date = (!dates.is_null(i)).then(|| dates.value(i));
                let year = date.map(|d| civil_from_days(d).0);
                let headcount = fields.push(&inputs, i, date, &self.ai);
                let vacancies = headcount.unwrap_or(self.missing_headcount);
                totals.counts.add(occupation, year, vacancies, dup.is_some());
                if let Some(t) = truth.filter(|t| !t.is_null(i)) {
                    totals.with_truth += 1;
                    totals.agree += u64::from(code == Some(t.value(i)));
                }
            }
            let parsed = fields.finish(&mut totals.rates);
            let joined = output_batch(&batch, &classified, rows, dup_of, parsed, path)?;
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

/// The input's identifying columns, the corpus row and repost flag, then the classification.
fn output_batch(
    input: &RecordBatch,
    classified: &RecordBatch,
    rows: Vec<u64>,
    dup_of: Vec<Option<u64>>,
    parsed: Vec<(Field, ArrayRef)>,
    path: &Path,
) -> Result<RecordBatch> {
    let mut fields: Vec<Arc<Field>> = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for name in [col::POSTING_ID, col::PLATFORM, col::POSTED_AT, col::TITLE, col::CITY, col::INDUSTRY, col::TRUE_CODE] {
        if let Ok(i) = input.schema().index_of(name) {
            fields.push(Arc::new(input.schema().field(i).clone()));
            columns.push(input.column(i).clone());
        }
    }
    fields.push(Arc::new(Field::new("row", DataType::UInt64, false)));
    columns.push(Arc::new(UInt64Array::from(rows)));
    fields.push(Arc::new(Field::new("dup_of", DataType::UInt64, true)));
    columns.push(Arc::new(UInt64Array::from(dup_of)));
    for (field, column) in parsed {
        fields.push(Arc::new(field));
        columns.push(column);
    }
    fields.extend(classified.schema().fields().iter().cloned());
    columns.extend(classified.columns().iter().cloned());
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| PipelineError::Output { path: path.into(), message: e.to_string() })
}
