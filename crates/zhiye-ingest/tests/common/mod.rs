//! Helpers of the import tests: read a Parquet output back as text rows.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Every row of a Parquet file as column → text (nulls left out; dates as
/// `YYYY-MM-DD`, numbers as written by Arrow).
pub fn read_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let schema = batch.schema();
        let texts: Vec<_> = batch.columns().iter().map(|c| arrow_cast::cast(c, &DataType::Utf8).unwrap()).collect();
        for i in 0..batch.num_rows() {
            let mut row = BTreeMap::new();
            for (f, t) in schema.fields().iter().zip(&texts) {
                let t = t.as_string::<i32>();
                if !t.is_null(i) {
                    row.insert(f.name().clone(), t.value(i).to_owned());
                }
            }
            rows.push(row);
        }
    }
    rows
}

/// The row whose `key` column is `value`.
pub fn find<'a>(rows: &'a [BTreeMap<String, String>], key: &str, value: &str) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r.get(key).map(String::as_str) == Some(value))
        .unwrap_or_else(|| panic!("no row {key}={value}"))
}

/// `row[col]` or "" when null.
pub fn get<'a>(row: &'a BTreeMap<String, String>, col: &str) -> &'a str {
    row.get(col).map_or("", String::as_str)
}
