//! [`LabelSet`]: the E0–E3 exposure labels of fine occupations, read from
//! CSV or Parquet and checked against the taxonomy.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use zhiye_core::{OcdCode, Taxonomy};

use crate::input::{CsvInput, code_by_depth, field_error};
use crate::{Error, Result};

/// The label the labelling tool writes for a reply it could not parse; such
/// rows are counted and skipped.
pub const INVALID_LABEL: &str = "invalid";

/// An exposure label of the Eloundou et al. (2023) rubric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// No exposure.
    E0,
    /// Direct exposure: an LLM alone halves the task's time.
    E1,
    /// Exposure through LLM-powered software built on top.
    E2,
    /// Exposure through LLMs with image capabilities.
    E3,
}

impl Label {
    /// The label's value in the paper's score: E0 = 0, E1 = 1, E2 = E3 = 0.5
    /// (the "β" weighting of Eloundou et al., which counts tools at half weight).
    pub fn value(self) -> f64 {
        match self {
            Label::E0 => 0.0,
            Label::E1 => 1.0,
            Label::E2 | Label::E3 => 0.5,
        }
    }

    /// Parses `E0`…`E3` (surrounding whitespace ignored, case-sensitive).
    pub fn parse(s: &str) -> Option<Label> {
        match s.trim() {
            "E0" => Some(Label::E0),
            "E1" => Some(Label::E1),
            "E2" => Some(Label::E2),
            "E3" => Some(Label::E3),
            _ => None,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// One label: a model's verdict on a fine occupation in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRecord {
    /// The occupation (a fine class, or an undivided small class).
    pub code: OcdCode,
    /// The model that gave the label.
    pub model: String,
    /// The run number.
    pub run: i64,
    /// The label.
    pub label: Label,
}

/// The labels of a label file, checked: every code is an occupation of the
/// taxonomy and every `(code, model, run)` appears once.
#[derive(Clone, Debug, Default)]
pub struct LabelSet {
    labels: Vec<LabelRecord>,
    invalid_by_model: BTreeMap<String, usize>,
}

impl LabelSet {
    /// Reads a label file: Parquet if the name ends in `.parquet` or `.pq`,
    /// else CSV (UTF-8 with a header).
    ///
    /// Columns `code` (fine code such as `2-02-01-01`, or `2-03-01-00` for an
    /// undivided small class), `model` (text), `run` (integer) and `label`
    /// (`E0`, `E1`, `E2` or `E3`; the value `invalid` is counted and skipped).
    /// Other columns, such as the raw reply `raw`, are ignored.
    pub fn read(path: impl AsRef<Path>, taxonomy: &Taxonomy) -> Result<LabelSet> {
        let path = path.as_ref();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if ext == "parquet" || ext == "pq" {
            let file = File::open(path).map_err(|source| Error::Io { path: path.into(), source })?;
            read_parquet(file, path, taxonomy)
        } else {
            read_csv(CsvInput::open(path)?, taxonomy)
        }
    }

    /// Reads labels from CSV text; `path` is used in error messages only.
    pub fn from_csv_reader(reader: impl Read, path: &Path, taxonomy: &Taxonomy) -> Result<LabelSet> {
        read_csv(CsvInput::from_reader(Box::new(reader), path)?, taxonomy)
    }

    /// The valid labels, in file order.
    pub fn labels(&self) -> &[LabelRecord] {
        &self.labels
    }

    /// Number of rows labelled `invalid` (skipped).
    pub fn invalid(&self) -> usize {
        self.invalid_by_model.values().sum()
    }

    /// Number of rows labelled `invalid`, per model.
    pub fn invalid_by_model(&self) -> &BTreeMap<String, usize> {
        &self.invalid_by_model
    }
}

/// Checks rows and collects them into a [`LabelSet`].
struct Builder<'a> {
    path: &'a Path,
    taxonomy: &'a Taxonomy,
    seen: HashMap<(OcdCode, String, i64), u64>,
    set: LabelSet,
}

/// The raw fields of one row, before checking.
struct RawRow<'r> {
    row: u64,
    code: &'r str,
    model: &'r str,
    run: i64,
    label: &'r str,
}

impl<'a> Builder<'a> {
    fn new(path: &'a Path, taxonomy: &'a Taxonomy) -> Builder<'a> {
        Builder { path, taxonomy, seen: HashMap::new(), set: LabelSet::default() }
    }

    fn push(&mut self, raw: RawRow<'_>) -> Result<()> {
        let err = |field: &str, message: String| field_error(self.path, raw.row, field, message);
        let code_text = raw.code.trim();
        let code = code_by_depth(code_text)
            .ok()
            .filter(|_| code_text.split('-').count() == 4)
            .ok_or_else(|| err("code", format!("{code_text:?} is not a fine OCD code such as 2-02-01-01")))?;
        if !self.taxonomy.get(code).is_some_and(|c| c.occupation) {
            return Err(err("code", format!("{code_text} is not a fine occupation of the taxonomy")));
        }
        let model = raw.model.trim();
        if model.is_empty() {
            return Err(err("model", "empty value".into()));
        }
        // Duplicates are checked before `invalid` is skipped: a run is one reply, valid or not.
        let key = (code, model.to_string(), raw.run);
        if let Some(&first_row) = self.seen.get(&key) {
            return Err(Error::Duplicate {
                path: self.path.into(),
                row: raw.row,
                first_row,
                key: format!("(code, model, run) = ({code_text}, {model}, {})", raw.run),
            });
        }
        self.seen.insert(key, raw.row);
        let label_text = raw.label.trim();
        if label_text == INVALID_LABEL {
            *self.set.invalid_by_model.entry(model.to_string()).or_default() += 1;
            return Ok(());
        }
        let label = Label::parse(label_text)
            .ok_or_else(|| err("label", format!("{label_text:?} is not E0, E1, E2, E3 or {INVALID_LABEL}")))?;
        self.set.labels.push(LabelRecord { code, model: model.to_string(), run: raw.run, label });
        Ok(())
    }
}

fn read_csv(input: CsvInput<'_>, taxonomy: &Taxonomy) -> Result<LabelSet> {
    let [code, model, run, label] =
        [input.column("code")?, input.column("model")?, input.column("run")?, input.column("label")?];
    let path = input.path().to_path_buf();
    let mut builder = Builder::new(&path, taxonomy);
    input.for_each_row(|r| {
        let run_text = r.text(run);
        let run_value: i64 = run_text.parse().map_err(|_| r.error(run, format!("{run_text:?} is not an integer")))?;
        builder.push(RawRow {
            row: r.row,
            code: r.text(code),
            model: r.text(model),
            run: run_value,
            label: r.text(label),
        })
    })?;
    Ok(builder.set)
}

fn read_parquet(file: File, path: &Path, taxonomy: &Taxonomy) -> Result<LabelSet> {
    let parquet_err = |source| Error::Parquet { path: path.into(), source };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_err)?;
    let schema = builder.schema().clone();
    for column in ["code", "model", "run", "label"] {
        if schema.index_of(column).is_err() {
            return Err(Error::MissingColumn { path: path.into(), column: column.into() });
        }
    }
    let reader = builder.build().map_err(parquet_err)?;
    let mut labels = Builder::new(path, taxonomy);
    let mut first_row = 1u64;
    for batch in reader {
        let batch = batch.map_err(|source| Error::Arrow { path: path.into(), row: first_row, source })?;
        read_batch(&batch, first_row, path, &mut labels)?;
        first_row += batch.num_rows() as u64;
    }
    Ok(labels.set)
}

fn read_batch<'b>(batch: &'b RecordBatch, first_row: u64, path: &Path, labels: &mut Builder<'_>) -> Result<()> {
    let column = |name: &str| {
        batch.column_by_name(name).ok_or_else(|| Error::MissingColumn { path: path.into(), column: name.into() })
    };
    let (code, model, run, label) = (column("code")?, column("model")?, column("run")?, column("label")?);
    for i in 0..batch.num_rows() {
        let row = first_row + i as u64;
        let text = |name: &str, a: &'b dyn Array| text_at(a, i, path, row, name);
        let run_value = integer_at(run.as_ref(), i)
            .map_err(|ty| field_error(path, row, "run", format!("has type {ty}, expected an integer")))?
            .ok_or_else(|| field_error(path, row, "run", "missing value"))?;
        labels.push(RawRow {
            row,
            code: text("code", code.as_ref())?,
            model: text("model", model.as_ref())?,
            run: run_value,
            label: text("label", label.as_ref())?,
        })?;
    }
    Ok(())
}

/// The string at row `i`, or an error naming the row and column.
fn text_at<'a>(a: &'a dyn Array, i: usize, path: &Path, row: u64, name: &str) -> Result<&'a str> {
    string_at(a, i)
        .map_err(|ty| field_error(path, row, name, format!("has type {ty}, expected a string")))?
        .ok_or_else(|| field_error(path, row, name, "missing value"))
}

/// The string at row `i` (`None` if null), or the column's type if it is not a string type.
fn string_at(a: &dyn Array, i: usize) -> std::result::Result<Option<&str>, DataType> {
    if a.is_null(i) {
        return Ok(None);
    }
    match a.data_type() {
        DataType::Utf8 => Ok(Some(a.as_string::<i32>().value(i))),
        DataType::LargeUtf8 => Ok(Some(a.as_string::<i64>().value(i))),
        DataType::Utf8View => Ok(Some(a.as_string_view().value(i))),
        other => Err(other.clone()),
    }
}

/// The integer at row `i` (`None` if null), or the column's type if it is not
/// an integer type that fits `i64`.
fn integer_at(a: &dyn Array, i: usize) -> std::result::Result<Option<i64>, DataType> {
    if a.is_null(i) {
        return Ok(None);
    }
    let value = match a.data_type() {
        DataType::Int8 => i64::from(a.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => i64::from(a.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => i64::from(a.as_primitive::<Int32Type>().value(i)),
        DataType::Int64 => a.as_primitive::<Int64Type>().value(i),
        DataType::UInt8 => i64::from(a.as_primitive::<UInt8Type>().value(i)),
        DataType::UInt16 => i64::from(a.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt32 => i64::from(a.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt64 => {
            i64::try_from(a.as_primitive::<UInt64Type>().value(i)).map_err(|_| a.data_type().clone())?
        }
        other => return Err(other.clone()),
    };
    Ok(Some(value))
}
