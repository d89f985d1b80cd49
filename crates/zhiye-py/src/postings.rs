//! The Arrow side of `Classifier.code_postings`, `dedup_keys` and
//! `find_reposts`, free of Python: the steps of `zhiye run` that a Spark job
//! distributes, over batches as Spark hands them over (strings of any Arrow
//! string type, signed integers).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use zhiye_postings::{DedupRow, INPUT_COLUMNS, dedup_key_with, find_duplicates};

use crate::columns::{InputError, strings, text};

/// `batch` with its string columns among the postings' input columns cast to
/// `string` (Spark may send `large_string`), so that the coder reads them.
pub(crate) fn with_utf8_inputs(batch: &RecordBatch) -> Result<RecordBatch, InputError> {
    let schema = batch.schema();
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let textual = matches!(field.data_type(), DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..));
        if textual && INPUT_COLUMNS.contains(&field.name().as_str()) {
            let cast = strings(column, &format!("column {:?}", field.name()))?;
            fields.push(Arc::new(field.as_ref().clone().with_data_type(DataType::Utf8)));
            columns.push(Arc::new(cast) as ArrayRef);
        } else {
            fields.push(field.clone());
            columns.push(column.clone());
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(InputError::arrow("cannot assemble the batch with string inputs"))
}

/// The values of an integer column (`int64` or `uint64`) as row numbers;
/// nulls are `None`, negative values an error.
pub(crate) fn row_numbers(column: &ArrayRef, what: &str) -> Result<Vec<Option<u64>>, InputError> {
    if let Some(a) = column.as_primitive_opt::<UInt64Type>() {
        return Ok(a.iter().collect());
    }
    let a = column
        .as_primitive_opt::<Int64Type>()
        .ok_or_else(|| InputError::Invalid(format!("{what} must be int64 or uint64, not {}", column.data_type())))?;
    a.iter()
        .map(|v| {
            v.map(|v| {
                u64::try_from(v).map_err(|_| InputError::Invalid(format!("{what} holds a negative row number {v}")))
            })
            .transpose()
        })
        .collect()
}

/// The classified batch with Spark's types: unsigned columns become the signed
/// type that holds them (`row`, `dup_of`, `headcount` → int64, `exp_min` →
/// int32), since Spark SQL has no unsigned integers.
pub(crate) fn spark_types(batch: RecordBatch) -> Result<RecordBatch, InputError> {
    let schema = batch.schema();
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let to = match field.data_type() {
            DataType::UInt64 | DataType::UInt32 => Some(DataType::Int64),
            DataType::UInt8 | DataType::UInt16 => Some(DataType::Int32),
            _ => None,
        };
        match to {
            Some(t) => {
                let options = arrow_cast::CastOptions { safe: false, ..Default::default() };
                let what = format!("cannot cast column {:?} to {t}", field.name());
                columns.push(arrow_cast::cast_with_options(column, &t, &options).map_err(InputError::arrow(what))?);
                fields.push(Arc::new(field.as_ref().clone().with_data_type(t)));
            }
            None => {
                columns.push(column.clone());
                fields.push(field.clone());
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(InputError::arrow("cannot assemble the batch with Spark's types"))
}

/// The de-duplication key of each row (`zhiye_postings::dedup_key`: employer,
/// title and city normalised and hashed), as int64 (the 64 bits as they are),
/// null where the row has no key.
pub(crate) fn dedup_keys(company: &ArrayRef, title: &ArrayRef, city: &ArrayRef) -> Result<Int64Array, InputError> {
    let (company, title, city) = (strings(company, "company")?, strings(title, "title")?, strings(city, "city")?);
    if company.len() != title.len() || title.len() != city.len() {
        return Err(InputError::Invalid(format!(
            "arrays of {}, {} and {} rows",
            company.len(),
            title.len(),
            city.len()
        )));
    }
    let mut buf = String::new();
    Ok((0..company.len())
        .map(|i| dedup_key_with(text(&company, i), text(&title, i), text(&city, i), &mut buf).map(|k| k as i64))
        .collect())
}

/// Reposts among the rows of `batch` (`key` int64/uint64, `posted_at`
/// date32, `row` int64/uint64): `(row, dup_of)` as int64 columns, sorted by
/// row. Rows with a null key are never reposts. Every row of a key must be in
/// the batch: the result is `find_duplicates` on the whole set.
pub(crate) fn find_reposts(batch: &RecordBatch, window_days: i32) -> Result<RecordBatch, InputError> {
    let column = |name: &str| {
        batch.column_by_name(name).ok_or_else(|| InputError::Invalid(format!("no column {name:?} in the batch")))
    };
    let key = column("key")?;
    // A key is 64 opaque bits: as int64 (Spark's type) they are reinterpreted.
    let keys: Vec<Option<u64>> = match key.as_primitive_opt::<Int64Type>() {
        Some(k) => k.iter().map(|v| v.map(|v| v as u64)).collect(),
        None => row_numbers(key, "key")?,
    };
    let dates = column("posted_at")?
        .as_primitive_opt::<Date32Type>()
        .ok_or_else(|| InputError::Invalid("posted_at must be date32".into()))?;
    let rows = row_numbers(column("row")?, "row")?;
    let mut keyed = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        if let (Some(key), Some(row)) = (*key, rows[i]) {
            keyed.push(DedupRow { key, date: (!dates.is_null(i)).then(|| dates.value(i)), row });
        }
    }
    let pairs = find_duplicates(&mut keyed, window_days);
    let row: Int64Array = pairs.iter().map(|&(r, _)| Some(r as i64)).collect();
    let dup_of: Int64Array = pairs.iter().map(|&(_, a)| Some(a as i64)).collect();
    let schema =
        Schema::new(vec![Field::new("row", DataType::Int64, false), Field::new("dup_of", DataType::Int64, false)]);
    RecordBatch::try_new(Arc::new(schema), vec![Arc::new(row), Arc::new(dup_of)])
        .map_err(InputError::arrow("cannot assemble the (row, dup_of) batch"))
}
