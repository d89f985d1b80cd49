//! [`PostingCoder`]: one batch of canonical postings → the classified postings
//! `zhiye run` writes.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Array, ArrayRef, Date32Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use zhiye_ingest::col;
use zhiye_text::{Classifier, KeywordMatcher, Result, Scratch, TextError, classify_batch};

use crate::fields::{FieldColumns, FieldInputs, ParseRates};

/// Every input column of the classified postings: the [`REQUIRED_COLUMNS`],
/// then the [`OPTIONAL_COLUMNS`].
pub const INPUT_COLUMNS: [&str; 12] = [
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

/// Columns every batch must have.
pub const REQUIRED_COLUMNS: &[&str] = INPUT_COLUMNS.split_at(5).0;

/// Columns used when present (absent: null, and not carried to the output).
pub const OPTIONAL_COLUMNS: &[&str] = INPUT_COLUMNS.split_at(5).1;

/// Input columns carried unchanged to the output, in this order, when present.
const CARRIED: [&str; 7] =
    [col::POSTING_ID, col::PLATFORM, col::POSTED_AT, col::TITLE, col::CITY, col::INDUSTRY, col::TRUE_CODE];

/// Codes batches of canonical postings: classification, parsed fields and AI
/// mentions, beside each posting's corpus row number and repost anchor.
///
/// The output columns, in order: the input's `posting_id`, `platform`,
/// `posted_at`, `title`, `city`, `industry` and `true_code` (those present),
/// `row` (uint64), `dup_of` (uint64, null unless a repost), the parsed fields
/// `year`, `month`, `headcount`, `wage`, `salary_min`, `salary_max`,
/// `exp_min`, `education`, `ai_mention`, then the classification columns of
/// [`zhiye_text::classified_schema`]. `zhiye run` and the Python wheel both
/// write exactly this; the aggregation reads it.
#[derive(Debug)]
pub struct PostingCoder {
    ai: KeywordMatcher,
}

impl PostingCoder {
    /// A coder flagging mentions of `ai_keywords` (the `aggregate.ai_keywords`
    /// option; see [`KeywordMatcher`] for how they match).
    pub fn new(ai_keywords: &[String]) -> Result<PostingCoder> {
        Ok(PostingCoder { ai: KeywordMatcher::new(ai_keywords)? })
    }

    /// Codes `batch`: row `i` is the corpus row `rows[i]` and reposts the row
    /// `dup_of[i]`, if any. Parse counts are added to `rates`. The batch must
    /// have the [`REQUIRED_COLUMNS`] (strings; `posted_at` a `date32`);
    /// [`OPTIONAL_COLUMNS`] that are present are read as strings.
    pub fn code(
        &self,
        classifier: &Classifier,
        batch: &RecordBatch,
        rows: Vec<u64>,
        dup_of: Vec<Option<u64>>,
        scratch: &mut Scratch,
        rates: &mut ParseRates,
    ) -> Result<RecordBatch> {
        let n = batch.num_rows();
        if rows.len() != n || dup_of.len() != n {
            return Err(column_error("row", format!("{} row numbers for {n} rows", rows.len())));
        }
        for name in [col::POSTING_ID, col::PLATFORM] {
            string_column(batch, name)?;
        }
        let titles = string_column(batch, col::TITLE)?;
        let descriptions = string_column(batch, col::DESCRIPTION)?;
        let classified = classify_batch(classifier, titles, Some(descriptions), scratch)?;
        let parsed = self.parse_fields(batch, rates)?;

        let mut out_fields: Vec<Arc<Field>> = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        let schema = batch.schema();
        for name in CARRIED {
            if let Ok(i) = schema.index_of(name) {
                out_fields.push(Arc::new(schema.field(i).clone()));
                columns.push(batch.column(i).clone());
            }
        }
        out_fields.push(Arc::new(Field::new("row", DataType::UInt64, false)));
        columns.push(Arc::new(UInt64Array::from(rows)));
        out_fields.push(Arc::new(Field::new("dup_of", DataType::UInt64, true)));
        columns.push(Arc::new(UInt64Array::from(dup_of)));
        for (field, column) in parsed {
            out_fields.push(Arc::new(field));
            columns.push(column);
        }
        out_fields.extend(classified.schema().fields().iter().cloned());
        columns.extend(classified.columns().iter().cloned());
        RecordBatch::try_new(Arc::new(Schema::new(out_fields)), columns)
            .map_err(|source| TextError::Arrow { what: "coded postings", source })
    }
}

impl PostingCoder {
    /// The parsed columns of `batch` alone (no classification): `year`,
    /// `month`, `headcount`, `wage`, `salary_min`, `salary_max`, `exp_min`,
    /// `education`, `ai_mention`, as [`PostingCoder::code`] writes them. Needs
    /// `title`, `description` and `posted_at`.
    pub fn parse_fields(&self, batch: &RecordBatch, rates: &mut ParseRates) -> Result<Vec<(Field, ArrayRef)>> {
        let optional = |name: &str| batch.column_by_name(name).map(|_| string_column(batch, name)).transpose();
        let inputs = FieldInputs {
            title: Some(string_column(batch, col::TITLE)?),
            description: Some(string_column(batch, col::DESCRIPTION)?),
            salary: optional(col::SALARY_TEXT)?,
            experience: optional(col::EXPERIENCE_TEXT)?,
            education: optional(col::EDUCATION_TEXT)?,
            headcount: optional(col::HEADCOUNT_TEXT)?,
        };
        let dates = date_column(batch)?;
        let mut fields = FieldColumns::with_capacity(batch.num_rows());
        for i in 0..batch.num_rows() {
            let date = (!dates.is_null(i)).then(|| dates.value(i));
            fields.push(&inputs, i, date, Some(&self.ai));
        }
        Ok(fields.finish(rates))
    }
}

fn column_error(column: &str, message: String) -> TextError {
    TextError::Column { column: column.into(), message }
}

/// A string column of `batch`, or an error naming it.
fn string_column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b StringArray> {
    let column = batch.column_by_name(name).ok_or_else(|| column_error(name, "missing".into()))?;
    column
        .as_string_opt::<i32>()
        .ok_or_else(|| column_error(name, format!("a {} column, not strings", column.data_type())))
}

/// The `posted_at` (`date32`) column of `batch`, or an error naming it.
fn date_column(batch: &RecordBatch) -> Result<&Date32Array> {
    let column = batch.column_by_name(col::POSTED_AT).ok_or_else(|| column_error(col::POSTED_AT, "missing".into()))?;
    column
        .as_primitive_opt::<Date32Type>()
        .ok_or_else(|| column_error(col::POSTED_AT, format!("a {} column, not date32", column.data_type())))
}
