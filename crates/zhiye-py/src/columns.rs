//! The Arrow side of the bindings, free of Python: string inputs of any
//! Arrow string type, and the parsed field columns exactly as `zhiye run`
//! writes them (`crates/zhiye-pipeline/src/run/fields.rs`).

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int8Builder, UInt8Builder, UInt32Builder};
use arrow_array::{Array, ArrayRef, Int8Array, RecordBatch, StringArray, UInt8Array, UInt32Array};
use arrow_schema::{DataType, Field, Schema};
use zhiye_ingest::fields::{Education, Headcount, parse_education, parse_experience, parse_headcount, parse_salary};

/// `array` as a `StringArray`: `string` as it is (no copy), `large_string`,
/// `string_view`, dictionary-encoded strings and all-null arrays cast to it.
/// Any other type is an error naming it.
pub(crate) fn strings(array: &ArrayRef, what: &str) -> Result<StringArray, String> {
    let cast_from = match array.data_type() {
        DataType::Utf8 => None,
        DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => Some(array.clone()),
        DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
            Some(array.clone())
        }
        other => return Err(format!("{what} must be a string array, not {other}")),
    };
    let array = match cast_from {
        None => array.clone(),
        Some(a) => arrow_cast::cast(&a, &DataType::Utf8).map_err(|e| format!("{what}: {e}"))?,
    };
    array
        .as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| format!("{what} must be a string array, not {}", array.data_type()))
}

/// The text of row `i`: null reads as empty, as in `zhiye run`.
pub(crate) fn text(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) { "" } else { a.value(i) }
}

/// `salary_min`, `salary_max` and `wage` (monthly CNY, the middle of the
/// parsed range), as `float64`; null where the text does not parse (面议
/// included).
pub(crate) fn salary(a: &StringArray) -> RecordBatch {
    let n = a.len();
    let (mut min, mut max, mut wage) =
        (Float64Builder::with_capacity(n), Float64Builder::with_capacity(n), Float64Builder::with_capacity(n));
    for i in 0..n {
        let s = parse_salary(text(a, i)).ok();
        min.append_option(s.and_then(|s| s.min).map(f64::from));
        max.append_option(s.and_then(|s| s.max).map(f64::from));
        wage.append_option(s.map(|s| f64::from(s.midpoint())));
    }
    let f = |name: &str| Field::new(name, DataType::Float64, true);
    let schema = Arc::new(Schema::new(vec![f("salary_min"), f("salary_max"), f("wage")]));
    let columns: Vec<ArrayRef> = vec![Arc::new(min.finish()), Arc::new(max.finish()), Arc::new(wage.finish())];
    RecordBatch::try_new(schema, columns).expect("three float64 columns of one length")
}

/// `exp_min`: the minimum years of experience asked (`uint8`), null where the
/// text does not parse.
pub(crate) fn experience(a: &StringArray) -> UInt8Array {
    let mut b = UInt8Builder::with_capacity(a.len());
    for i in 0..a.len() {
        b.append_option(parse_experience(text(a, i)).ok().map(|e| e.min));
    }
    b.finish()
}

/// `education`: the ordinal level (`int8`, 0 不限 … 6 博士), null where the text
/// names no level.
pub(crate) fn education(a: &StringArray) -> Int8Array {
    let mut b = Int8Builder::with_capacity(a.len());
    for i in 0..a.len() {
        b.append_option(parse_education(text(a, i)).ok().map(Education::ordinal));
    }
    b.finish()
}

/// `headcount`: the openings stated (`uint32`); null when missing, 若干 or
/// unparsed (the aggregation then counts `aggregate.missing_headcount`).
pub(crate) fn headcount(a: &StringArray) -> UInt32Array {
    let mut b = UInt32Builder::with_capacity(a.len());
    for i in 0..a.len() {
        b.append_option(match parse_headcount(text(a, i)) {
            Headcount::Count(n) => Some(n),
            Headcount::Unspecified | Headcount::Missing | Headcount::Unparsed => None,
        });
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float64Array, LargeStringArray};

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
        assert_eq!(headcount(&h).iter().collect::<Vec<_>>(), vec![Some(3), None, None, None]);
        let e = StringArray::from(vec![Some("3-5年"), Some("经验不限"), Some("本科"), None]);
        assert_eq!(experience(&e).iter().collect::<Vec<_>>(), vec![Some(3), Some(0), None, None]);
        assert_eq!(education(&e).iter().collect::<Vec<_>>(), vec![None, None, Some(4), None]);
    }

    #[test]
    fn string_types() {
        let large: ArrayRef = Arc::new(LargeStringArray::from(vec![Some("本科"), None]));
        let s = strings(&large, "x").unwrap();
        assert_eq!((s.value(0), s.is_null(1)), ("本科", true));
        let ints: ArrayRef = Arc::new(UInt8Array::from(vec![1u8]));
        assert!(strings(&ints, "title").unwrap_err().contains("title must be a string array"));
    }
}
