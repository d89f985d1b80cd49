//! The quarantine: every row an import did not write, with where it came
//! from, why, and its raw text.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::ImportError;
use crate::BATCH_ROWS;
use crate::ParquetSink;

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("sheet", DataType::Utf8, true),
        Field::new("row", DataType::UInt64, false),
        Field::new("field", DataType::Utf8, true),
        Field::new("reason", DataType::Utf8, false),
        Field::new("raw", DataType::Utf8, false),
    ]))
});

/// Columns of `quarantine.parquet`: `file`, `sheet` (workbooks), `row`
/// (1-based, as a viewer shows it), `field` (the canonical column at fault,
/// null for whole-row problems), `reason`, `raw` (the row's cells as a CSV
/// line, or the JSONL line).
pub fn quarantine_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// One quarantined row.
#[derive(Clone, Debug)]
pub(crate) struct Quarantined {
    pub(crate) file: String,
    pub(crate) sheet: Option<String>,
    pub(crate) row: u64,
    pub(crate) field: Option<&'static str>,
    pub(crate) reason: String,
    pub(crate) raw: String,
}

/// Writes `rows` to `path` atomically; returns the rows written.
pub(crate) fn write_quarantine(path: &Path, rows: &[Quarantined]) -> Result<u64, ImportError> {
    let mut sink = ParquetSink::create(path, quarantine_schema())?;
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut file = StringBuilder::new();
        let mut sheet = StringBuilder::new();
        let mut row = UInt64Builder::new();
        let mut field = StringBuilder::new();
        let mut reason = StringBuilder::new();
        let mut raw = StringBuilder::new();
        for q in chunk {
            file.append_value(&q.file);
            sheet.append_option(q.sheet.as_deref());
            row.append_value(q.row);
            field.append_option(q.field);
            reason.append_value(&q.reason);
            raw.append_value(&q.raw);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(file.finish()),
            Arc::new(sheet.finish()),
            Arc::new(row.finish()),
            Arc::new(field.finish()),
            Arc::new(reason.finish()),
            Arc::new(raw.finish()),
        ];
        let batch = RecordBatch::try_new(quarantine_schema(), columns)
            .map_err(|source| ImportError::Arrow { path: path.into(), source })?;
        sink.write(&batch)?;
    }
    Ok(sink.finish()? as u64)
}
