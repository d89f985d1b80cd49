//! [`LabelCache`]: every answered request, kept as Parquet parts in one
//! folder, so that an interrupted run resumes where it stopped.
//!
//! Each flush writes a new part atomically (hidden temporary file, then a
//! rename), so a killed run leaves whole parts only and loses at most the
//! answers it had not flushed. A label is found again by its key: occupation,
//! model, run and prompt hash.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{UInt32Type, UInt64Type};
use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{LabelError, Result};

/// The label of an unusable reply, as `zhiye exposure score` expects it.
pub use zhiye_analysis::exposure::INVALID_LABEL as INVALID;

/// One answered request.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRow {
    /// Fine occupation code.
    pub code: String,
    /// Model name (the configuration's `name`).
    pub model: String,
    /// Run number, from 1.
    pub run: u32,
    /// The prompt's hash ([`crate::Prompt::hash`]).
    pub prompt_hash: String,
    /// The template's version.
    pub version: String,
    /// `E0` … `E3`, or [`INVALID`].
    pub label: String,
    /// The model's last reply, as it came.
    pub raw: String,
    /// Requests made for it.
    pub attempts: u32,
    /// Tokens of all its requests, as the endpoint counted them.
    pub prompt_tokens: u64,
    /// Completion tokens of all its requests.
    pub completion_tokens: u64,
}

/// What identifies a label.
pub type Key = (String, String, u32, String);

impl LabelRow {
    /// Its cache key.
    pub fn key(&self) -> Key {
        (self.code.clone(), self.model.clone(), self.run, self.prompt_hash.clone())
    }
}

fn schema() -> SchemaRef {
    let s = |n: &str| Field::new(n, DataType::Utf8, false);
    Arc::new(Schema::new(vec![
        s("code"),
        s("model"),
        Field::new("run", DataType::UInt32, false),
        s("prompt_hash"),
        s("version"),
        s("label"),
        s("raw"),
        Field::new("attempts", DataType::UInt32, false),
        Field::new("prompt_tokens", DataType::UInt64, false),
        Field::new("completion_tokens", DataType::UInt64, false),
    ]))
}

/// The cache folder.
#[derive(Debug)]
pub struct LabelCache {
    dir: PathBuf,
    parts: usize,
}

impl LabelCache {
    /// Opens (creating) the folder.
    pub fn open(dir: &Path) -> Result<LabelCache> {
        std::fs::create_dir_all(dir).map_err(LabelError::io(dir))?;
        let parts = zhiye_ingest::list_parquet(dir)?.len();
        Ok(LabelCache { dir: dir.into(), parts })
    }

    /// Every cached label by key. Should a key be there twice (two runs at
    /// once), a label beats `invalid`, then the later part wins.
    pub fn load(&self) -> Result<HashMap<Key, LabelRow>> {
        let mut out: HashMap<Key, LabelRow> = HashMap::new();
        for path in zhiye_ingest::list_parquet(&self.dir)? {
            for row in read_part(&path)? {
                match out.get(&row.key()) {
                    Some(old) if old.label != INVALID && row.label == INVALID => {}
                    _ => {
                        out.insert(row.key(), row);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Writes `rows` as a new part.
    pub fn append(&mut self, rows: &[LabelRow]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        self.parts += 1;
        let path = self.dir.join(format!("part-{nanos:020}-{:05}.parquet", self.parts));
        let strings =
            |f: fn(&LabelRow) -> &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(f))) };
        let columns: Vec<ArrayRef> = vec![
            strings(|r| &r.code),
            strings(|r| &r.model),
            Arc::new(rows.iter().map(|r| r.run).collect::<UInt32Array>()),
            strings(|r| &r.prompt_hash),
            strings(|r| &r.version),
            strings(|r| &r.label),
            strings(|r| &r.raw),
            Arc::new(rows.iter().map(|r| r.attempts).collect::<UInt32Array>()),
            Arc::new(rows.iter().map(|r| r.prompt_tokens).collect::<UInt64Array>()),
            Arc::new(rows.iter().map(|r| r.completion_tokens).collect::<UInt64Array>()),
        ];
        let batch = RecordBatch::try_new(schema(), columns)
            .map_err(|source| LabelError::Arrow { path: path.clone(), source })?;
        zhiye_ingest::write_parquet(&path, schema(), &[batch])?;
        Ok(())
    }
}

fn read_part(path: &Path) -> Result<Vec<LabelRow>> {
    let file = std::fs::File::open(path).map_err(LabelError::io(path))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|source| LabelError::Parquet { path: path.into(), source })?;
    let mut rows = Vec::new();
    for batch in reader {
        let b = batch.map_err(|source| LabelError::Arrow { path: path.into(), source })?;
        let missing = |column, expected| LabelError::Column { path: path.into(), column, expected };
        let s = |name: &'static str| -> Result<StringArray> {
            b.column_by_name(name).and_then(|c| c.as_string_opt::<i32>()).cloned().ok_or_else(|| missing(name, "utf8"))
        };
        let u32s = |name: &'static str| {
            b.column_by_name(name)
                .and_then(|c| c.as_primitive_opt::<UInt32Type>())
                .ok_or_else(|| missing(name, "uint32"))
        };
        let u64s = |name: &'static str| {
            b.column_by_name(name)
                .and_then(|c| c.as_primitive_opt::<UInt64Type>())
                .ok_or_else(|| missing(name, "uint64"))
        };
        let (code, model, hash, version, label, raw) =
            (s("code")?, s("model")?, s("prompt_hash")?, s("version")?, s("label")?, s("raw")?);
        let (run, attempts) = (u32s("run")?, u32s("attempts")?);
        let (pt, ct) = (u64s("prompt_tokens")?, u64s("completion_tokens")?);
        for i in 0..b.num_rows() {
            rows.push(LabelRow {
                code: code.value(i).into(),
                model: model.value(i).into(),
                run: run.value(i),
                prompt_hash: hash.value(i).into(),
                version: version.value(i).into(),
                label: label.value(i).into(),
                raw: raw.value(i).into(),
                attempts: attempts.value(i),
                prompt_tokens: pt.value(i),
                completion_tokens: ct.value(i),
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, run: u32, label: &str) -> LabelRow {
        LabelRow {
            code: code.into(),
            model: "m".into(),
            run,
            prompt_hash: "h".into(),
            version: "v1".into(),
            label: label.into(),
            raw: format!("reply {label}"),
            attempts: 1,
            prompt_tokens: 10,
            completion_tokens: 2,
        }
    }

    #[test]
    fn parts_round_trip_and_a_label_beats_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = LabelCache::open(dir.path()).unwrap();
        cache.append(&[row("2-02-10-01", 1, "E1"), row("2-02-10-01", 2, INVALID)]).unwrap();
        cache.append(&[row("2-02-10-01", 2, "E2"), row("2-02-10-01", 1, INVALID)]).unwrap();
        let reopened = LabelCache::open(dir.path()).unwrap();
        let all = reopened.load().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[&row("2-02-10-01", 1, "").key()], row("2-02-10-01", 1, "E1"));
        assert_eq!(all[&row("2-02-10-01", 2, "").key()].label, "E2");
    }
}
