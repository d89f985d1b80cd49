//! Python bindings of zhiye (`import zhiye`): the OCD 2022 classifier and the
//! field parsers over pyarrow data, zero-copy through the Arrow C data
//! interface. Built as an abi3 wheel with maturin (`scripts/build_wheel.sh`);
//! see this crate's README.md for the API.
//!
//! - `Classifier` holds an immutable [`zhiye_text::Classifier`] and one
//!   [`Scratch`]; `classify` runs [`classify_batch`] with the GIL released, so
//!   the columns are exactly those `zhiye run` writes.
//! - `parse_salary`, `parse_experience`, `parse_education` and
//!   `parse_headcount` give the parsed columns of `zhiye run`.

mod columns;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, TryLockError};

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, make_array};
use arrow_data::ArrayData;
use arrow_pyarrow::{PyArrowType, ToPyArrow};
use pyo3::exceptions::{PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use zhiye_text::{ClassifierOptions, Scratch, TextError, classified_schema, classify_batch};

/// A file that cannot be read is an `OSError`; anything else a `ValueError`.
fn text_error(e: TextError) -> PyErr {
    match e {
        TextError::Read { .. } | TextError::Taxonomy(zhiye_core::Error::Io { .. }) => PyOSError::new_err(e.to_string()),
        other => PyValueError::new_err(other.to_string()),
    }
}

/// A column of `batch` by name as a string array; a missing column is a
/// `KeyError` listing the columns there are.
fn string_column(batch: &RecordBatch, name: &str) -> PyResult<StringArray> {
    let column = batch.column_by_name(name).ok_or_else(|| {
        let names: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
        PyKeyError::new_err(format!("no column {name:?} in the batch (columns: {})", names.join(", ")))
    })?;
    columns::strings(column, &format!("column {name:?}")).map_err(PyTypeError::new_err)
}

/// The OCD 2022 classifier of zhiye, built once from the taxonomy folder
/// (`csco22.csv`, `cncity.csv`, `stopwords.txt`) and an optional rules file.
/// Building costs 0.1–0.5 s; classifying reuses the same working memory call
/// after call. Safe to share between threads (calls that overlap get their own
/// working memory).
#[pyclass(module = "zhiye", name = "Classifier", frozen)]
struct PyClassifier {
    inner: zhiye_text::Classifier,
    /// The working memory of `classify`, kept between calls.
    scratch: Mutex<Scratch>,
    calls: AtomicU64,
    taxonomy_dir: PathBuf,
    rules: Option<PathBuf>,
}

#[pymethods]
impl PyClassifier {
    #[new]
    #[pyo3(signature = (taxonomy_dir, rules=None, top_k=5, description_weight=0.3, level_threshold=0.5))]
    fn new(
        py: Python<'_>,
        taxonomy_dir: PathBuf,
        rules: Option<PathBuf>,
        top_k: usize,
        description_weight: f32,
        level_threshold: f32,
    ) -> PyResult<Self> {
        if top_k == 0 {
            return Err(PyValueError::new_err("top_k must be at least 1"));
        }
        // As `zhiye run` builds it (zhiye-pipeline `build_classifier`).
        let options = ClassifierOptions { top_k, description_weight, level_threshold, ..ClassifierOptions::default() };
        let (_taxonomy, inner) = py
            .detach(|| zhiye_text::Classifier::from_dir(&taxonomy_dir, rules.as_deref(), options))
            .map_err(text_error)?;
        Ok(PyClassifier { inner, scratch: Mutex::new(Scratch::new()), calls: AtomicU64::new(0), taxonomy_dir, rules })
    }

    /// Classifies every row of `batch` from its `title` column (and its
    /// `description` column unless `description` is None) and returns the
    /// classification columns (`code, level, score, margin, method, rule,
    /// top_k, evidence`), one row per input row, in order.
    #[pyo3(signature = (batch, title="title", description=Some("description")))]
    fn classify(
        &self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
        title: &str,
        description: Option<&str>,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let batch = batch.0;
        let titles = string_column(&batch, title)?;
        let descriptions = description.map(|d| string_column(&batch, d)).transpose()?;
        let out = py.detach(|| {
            let run = |scratch: &mut Scratch| classify_batch(&self.inner, &titles, descriptions.as_ref(), scratch);
            match self.scratch.try_lock() {
                Ok(mut scratch) => run(&mut scratch),
                // A classify() panicked mid-call: the scratch is reset per
                // posting, so it is still fit for use.
                Err(TryLockError::Poisoned(p)) => run(&mut p.into_inner()),
                // Another thread is classifying with it: use a fresh one
                // rather than wait.
                Err(TryLockError::WouldBlock) => run(&mut Scratch::new()),
            }
        });
        self.calls.fetch_add(1, Ordering::Relaxed);
        Ok(PyArrowType(out.map_err(text_error)?))
    }

    /// The occupation codes the classifier can assign, in taxonomy order.
    fn codes(&self) -> Vec<String> {
        self.inner.codes().iter().map(ToString::to_string).collect()
    }

    /// The schema of `classify`'s result (for Spark's `mapInArrow`).
    #[staticmethod]
    fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        classified_schema().as_ref().to_pyarrow(py)
    }

    /// `classify` calls served so far.
    #[getter]
    fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    #[getter]
    fn top_k(&self) -> usize {
        self.inner.options().top_k
    }

    #[getter]
    fn description_weight(&self) -> f32 {
        self.inner.options().description_weight
    }

    #[getter]
    fn level_threshold(&self) -> f32 {
        self.inner.options().level_threshold
    }

    #[getter]
    fn taxonomy_dir(&self) -> String {
        self.taxonomy_dir.display().to_string()
    }

    #[getter]
    fn rules(&self) -> Option<String> {
        self.rules.as_ref().map(|r| r.display().to_string())
    }

    /// Pickled as its arguments, so that Spark can ship it to executors, where
    /// it is rebuilt from the same paths (which must exist there).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let me = slf.get();
        let args = (me.taxonomy_dir(), me.rules(), me.top_k(), me.description_weight(), me.level_threshold());
        (slf.get_type(), args).into_pyobject(slf.py())
    }

    fn __repr__(&self) -> String {
        let rules = self.rules().map_or_else(|| "None".to_string(), |r| format!("{r:?}"));
        format!(
            "zhiye.Classifier(taxonomy_dir={:?}, rules={rules}, top_k={}, description_weight={}, level_threshold={}) \
             with {} occupations",
            self.taxonomy_dir(),
            self.top_k(),
            self.description_weight(),
            self.level_threshold(),
            self.inner.codes().len()
        )
    }
}

/// The strings of a pyarrow array (`string`, `large_string`, `string_view`,
/// dictionary of strings, or all null).
fn input_strings(array: PyArrowType<ArrayData>) -> PyResult<StringArray> {
    let array: ArrayRef = make_array(array.0);
    columns::strings(&array, "the input").map_err(PyTypeError::new_err)
}

/// Parses salaries as posted (`8千-1.2万·13薪`, `150元/天`, `面议` …) into a
/// record batch of `salary_min`, `salary_max` and `wage` (monthly CNY, the
/// middle of the range; float64, null where not parsed).
#[pyfunction]
fn parse_salary(py: Python<'_>, array: PyArrowType<ArrayData>) -> PyResult<PyArrowType<RecordBatch>> {
    let a = input_strings(array)?;
    Ok(PyArrowType(py.detach(|| columns::salary(&a))))
}

/// Parses experience requirements (`3-5年`, `经验不限` …) into the minimum
/// years (`exp_min`, uint8, null where not parsed).
#[pyfunction]
fn parse_experience(py: Python<'_>, array: PyArrowType<ArrayData>) -> PyResult<PyArrowType<ArrayData>> {
    let a = input_strings(array)?;
    Ok(PyArrowType(py.detach(|| columns::experience(&a).into_data())))
}

/// Parses education requirements (`本科及以上` …) into the ordinal level
/// (`education`, int8: 0 不限, 1 初中, 2 高中/中专, 3 大专, 4 本科, 5 硕士,
/// 6 博士; null where no level is named).
#[pyfunction]
fn parse_education(py: Python<'_>, array: PyArrowType<ArrayData>) -> PyResult<PyArrowType<ArrayData>> {
    let a = input_strings(array)?;
    Ok(PyArrowType(py.detach(|| columns::education(&a).into_data())))
}

/// Parses head-counts (`招3人`, `若干` …) into the openings stated
/// (`headcount`, uint32; null when missing, 若干 or not parsed).
#[pyfunction]
fn parse_headcount(py: Python<'_>, array: PyArrowType<ArrayData>) -> PyResult<PyArrowType<ArrayData>> {
    let a = input_strings(array)?;
    Ok(PyArrowType(py.detach(|| columns::headcount(&a).into_data())))
}

/// The `zhiye` Python module.
#[pymodule]
#[pyo3(name = "zhiye")]
fn zhiye_py(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyClassifier>()?;
    m.add_function(wrap_pyfunction!(parse_salary, m)?)?;
    m.add_function(wrap_pyfunction!(parse_experience, m)?)?;
    m.add_function(wrap_pyfunction!(parse_education, m)?)?;
    m.add_function(wrap_pyfunction!(parse_headcount, m)?)?;
    Ok(())
}
