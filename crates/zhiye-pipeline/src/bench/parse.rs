//! The parse stage: the main pass's own field parsing (`run::fields`) over
//! in-memory columns: dates to year and month, salary, experience, education
//! and head-count parsed, the AI-keyword scan of title and description, each
//! into the Arrow column the classified output holds.

use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::Field;
use zhiye_ingest::col;
use zhiye_text::KeywordMatcher;

use crate::run::fields::{FieldColumns, FieldInputs, ParseRates};

/// The parsed columns of one batch, named as the classified output names
/// them. A batch without titles or descriptions parses as empty text.
pub(crate) fn parse_batch(batch: &RecordBatch, ai: &KeywordMatcher) -> Vec<(Field, ArrayRef)> {
    let n = batch.num_rows();
    let text = |name: &str| batch.column_by_name(name).and_then(|a| a.as_string_opt::<i32>());
    let empty = StringArray::from(vec![""; n]);
    let inputs = FieldInputs {
        title: text(col::TITLE).unwrap_or(&empty),
        description: text(col::DESCRIPTION).unwrap_or(&empty),
        salary: text(col::SALARY_TEXT),
        experience: text(col::EXPERIENCE_TEXT),
        education: text(col::EDUCATION_TEXT),
        headcount: text(col::HEADCOUNT_TEXT),
    };
    let dates = batch.column_by_name(col::POSTED_AT).and_then(|a| a.as_primitive_opt::<Date32Type>());
    let mut fields = FieldColumns::with_capacity(n);
    for i in 0..n {
        let date = dates.filter(|d| !d.is_null(i)).map(|d| d.value(i));
        fields.push(&inputs, i, date, ai);
    }
    fields.finish(&mut ParseRates::default())
}
