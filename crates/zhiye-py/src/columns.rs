//! The Arrow side of the bindings, free of Python: string inputs of any
//! Arrow string type, and the parsed field columns exactly as `zhiye run`
//! writes them (zhiye-postings' [`parse_field`]).

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use zhiye_postings::{ParsedField, parse_field};

/// Why an Arrow input cannot be used, or an Arrow result not be built. Python
/// sees it with its causes ([`zhiye_core::causes`]).
#[derive(Debug)]
pub(crate) enum InputError {
    /// The input is not what is expected (a type, a length, a column).
    Invalid(String),
    /// An Arrow operation failed.
    Arrow {
        /// What failed, on what: `cannot cast column "row" to Int64`.
        what: String,
        /// Why.
        source: ArrowError,
    },
}

impl InputError {
    /// A mapper of Arrow errors in the operation `what`.
    pub(crate) fn arrow(what: impl Into<String>) -> impl FnOnce(ArrowError) -> InputError {
        let what = what.into();
        move |source| InputError::Arrow { what, source }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Invalid(message) => f.write_str(message),
            InputError::Arrow { what, .. } => f.write_str(what),
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InputError::Invalid(_) => None,
            InputError::Arrow { source, .. } => Some(source),
        }
    }
}

/// `array` as a `StringArray`: `string` as it is (no copy), `large_string`,
/// `string_view`, dictionary-encoded strings and all-null arrays cast to it.
/// Any other type is an error naming it.
pub(crate) fn strings(array: &ArrayRef, what: &str) -> Result<StringArray, InputError> {
    let cast_from = match array.data_type() {
        DataType::Utf8 => None,
        DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => Some(array.clone()),
        DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
            Some(array.clone())
        }
        other => return Err(InputError::Invalid(format!("{what} must be a string array, not {other}"))),
    };
    let array = match cast_from {
        None => array.clone(),
        Some(a) => {
            arrow_cast::cast(&a, &DataType::Utf8).map_err(InputError::arrow(format!("cannot cast {what} to string")))?
        }
    };
    array
        .as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| InputError::Invalid(format!("{what} must be a string array, not {}", array.data_type())))
}

/// The text of row `i`: null reads as empty, as in `zhiye run`.
pub(crate) fn text(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) { "" } else { a.value(i) }
}

/// `salary_min`, `salary_max` and `wage` (monthly CNY, the middle of the
/// parsed range), as `float64`; null where the text does not parse (面议
/// included).
pub(crate) fn salary(a: &StringArray) -> RecordBatch {
    let (fields, columns): (Vec<Field>, Vec<ArrayRef>) = parse_field(ParsedField::Salary, a).into_iter().unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).expect("three float64 columns of one length")
}

/// The one column `field` makes (experience, education or head-count).
pub(crate) fn single(field: ParsedField, a: &StringArray) -> ArrayRef {
    parse_field(field, a).pop().expect("one column").1
}

/// Parse counts as a one-row batch: `<field>_non_empty` and `<field>_parsed`
/// (int64) per field, in the order of the run summary's fields.
pub(crate) fn rates_batch(rates: &zhiye_postings::ParseRates) -> RecordBatch {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (name, r) in &rates.fields {
        for (suffix, n) in [("non_empty", r.non_empty), ("parsed", r.parsed)] {
            fields.push(Field::new(format!("{name}_{suffix}"), DataType::Int64, false));
            columns.push(Arc::new(arrow_array::Int64Array::from(vec![n as i64])));
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).expect("one row per column")
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int8Type, UInt8Type, UInt32Type};
    use arrow_array::{Float64Array, LargeStringArray, UInt8Array};

    fn col(b: &RecordBatch, name: &str) -> Vec<Option<f64>> {
        let a = b.column_by_name(name).unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
        a.iter().collect()
    }

    #[test]
    fn fields_as_the_run_writes_them() {
        let a = StringArray::from(vec![Some("8千-1.2万·13薪"), Some("面议"), None, Some("招3人"), Some("若干")]);
        let s = salary(&a);
        assert_eq!(col(&s, "salary_min"), vec![Some(8000.0), None, None, None, None]);
        assert_eq!(col(&s, "salary_max"), vec![Some(12000.0), None, None, None, None]);
        let h = StringArray::from(vec![Some("招3人"), Some("若干"), None, Some("")]);
        let h = single(ParsedField::Headcount, &h);
        assert_eq!(h.as_primitive::<UInt32Type>().iter().collect::<Vec<_>>(), vec![Some(3), None, None, None]);
        let e = StringArray::from(vec![Some("3-5年"), Some("经验不限"), Some("本科"), None]);
        let x = single(ParsedField::Experience, &e);
        assert_eq!(x.as_primitive::<UInt8Type>().iter().collect::<Vec<_>>(), vec![Some(3), Some(0), None, None]);
        let d = single(ParsedField::Education, &e);
        assert_eq!(d.as_primitive::<Int8Type>().iter().collect::<Vec<_>>(), vec![None, None, Some(4), None]);
    }

    #[test]
    fn string_types() {
        let large: ArrayRef = Arc::new(LargeStringArray::from(vec![Some("本科"), None]));
        let s = strings(&large, "x").unwrap();
        assert_eq!((s.value(0), s.is_null(1)), ("本科", true));
        let ints: ArrayRef = Arc::new(UInt8Array::from(vec![1u8]));
        let err = strings(&ints, "title").unwrap_err();
        assert_eq!(err.to_string(), "title must be a string array, not UInt8");
        assert!(std::error::Error::source(&err).is_none());
    }
}
