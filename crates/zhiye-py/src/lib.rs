//! Python bindings of zhiye (`import zhiye`): the OCD 2022 classifier and the
//! field parsers over pyarrow data, zero-copy through the Arrow C data
//! interface. Built as an abi3 wheel with maturin (`scripts/build_wheel.sh`);
//! see this crate's README.md for the API.
//!
//! - `Classifier` holds an immutable [`zhiye_text::Classifier`] and one
//!   [`Scratch`]; `classify` runs [`classify_batch`] with the GIL released, so
//!   the columns are exactly those `zhiye run` writes.
//!   `code_postings` runs the whole main pass of `zhiye run` on a batch
//!   ([`PostingCoder`]): the rows of its classified Parquet.
//! - `dedup_keys` and `find_reposts` flag reposts as `zhiye run` does.
//! - `parse_salary`, `parse_experience`, `parse_education` and
//!   `parse_headcount` give the parsed columns of `zhiye run`, `parse_rates`
//!   the counts its run summary keeps of them.

mod columns;
mod postings;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, TryLockError};

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, make_array};
use arrow_data::ArrayData;
use arrow_pyarrow::{PyArrowType, ToPyArrow};
use pyo3::exceptions::{PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use zhiye_postings::{ParseRates, ParsedField, PostingCoder};
use zhiye_text::{ClassifierOptions, Scratch, TextError, TitleMemo, classified_schema, classify_batch};

/// A file that cannot be read is an `OSError`; anything else a `ValueError`.
/// The message holds every cause, as the CLI prints it.
fn text_error(e: TextError) -> PyErr {
    let message = zhiye_core::causes(&e);
    match e {
        TextError::Read { .. }
        | TextError::Io { .. }
        | TextError::Csv { .. }
        | TextError::Taxonomy(zhiye_core::Error::Io { .. } | zhiye_core::Error::NoTaxonomy { .. }) => {
            PyOSError::new_err(message)
        }
        _ => PyValueError::new_err(message),
    }
}

/// An Arrow input that cannot be used is a `TypeError`, with its causes.
fn type_error(e: columns::InputError) -> PyErr {
    PyTypeError::new_err(zhiye_core::causes(&e))
}

/// An Arrow result that cannot be built is a `ValueError`, with its causes.
fn value_error(e: columns::InputError) -> PyErr {
    PyValueError::new_err(zhiye_core::causes(&e))
}

/// A column of `batch` by name as a string array; a missing column is a
/// `KeyError` listing the columns there are.
fn string_column(batch: &RecordBatch, name: &str) -> PyResult<StringArray> {
    let column = batch.column_by_name(name).ok_or_else(|| {
        let names: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
        PyKeyError::new_err(format!("no column {name:?} in the batch (columns: {})", names.join(", ")))
    })?;
    columns::strings(column, &format!("column {name:?}")).map_err(type_error)
}

/// The OCD 2022 classifier of zhiye, built once from the taxonomy folder
/// (`csco22.csv`, `cncity.csv`, `stopwords.txt`) and an optional rules file.
/// Building costs 0.1–0.5 s; classifying reuses the same working memory call
/// after call. Safe to share between threads (calls that overlap get their own
/// working memory).
#[pyclass(module = "zhiye", name = "Classifier", frozen)]
struct PyClassifier {
    inner: zhiye_text::Classifier,
    /// The main pass of `zhiye run` around `inner` (parsed fields, AI mentions).
    coder: PostingCoder,
    ai_keywords: Vec<String>,
    /// The working memory of `classify`, kept between calls.
    scratch: Mutex<Scratch>,
    /// The title summaries of every call's scratch.
    memo: Arc<TitleMemo>,
    calls: AtomicU64,
    taxonomy_dir: PathBuf,
    rules: Option<PathBuf>,
}

#[pymethods]
impl PyClassifier {
    #[new]
    #[pyo3(signature = (taxonomy_dir, rules=None, top_k=5, description_weight=1.0, level_threshold=0.5, ai_keywords=None))]
    fn new(
        py: Python<'_>,
        taxonomy_dir: PathBuf,
        rules: Option<PathBuf>,
        top_k: usize,
        description_weight: f32,
        level_threshold: f32,
        ai_keywords: Option<Vec<String>>,
    ) -> PyResult<Self> {
        if top_k == 0 {
            return Err(PyValueError::new_err("top_k must be at least 1"));
        }
        // As `zhiye run` builds it (zhiye-pipeline `build_classifier`).
        let options = ClassifierOptions { top_k, description_weight, level_threshold, ..ClassifierOptions::default() };
        let (_taxonomy, inner) = py
            .detach(|| zhiye_text::Classifier::from_dir(&taxonomy_dir, rules.as_deref(), options))
            .map_err(text_error)?;
        let ai_keywords = ai_keywords.unwrap_or_else(|| zhiye_core::AggregateConfig::default().ai_keywords);
        let coder = PostingCoder::new(&ai_keywords).map_err(text_error)?;
        BUILT.fetch_add(1, Ordering::Relaxed);
        let memo = Arc::new(TitleMemo::new());
        Ok(PyClassifier {
            inner,
            coder,
            ai_keywords,
            scratch: Mutex::new(Scratch::sharing(&memo)),
            memo,
            calls: AtomicU64::new(0),
            taxonomy_dir,
            rules,
        })
    }

    /// The classifier of these arguments shared by the whole process: built by
    /// the first call, the same object for every later call with equal
    /// arguments. For code that runs once per batch or per task (Spark's
    /// `mapInArrow` functions) but should build the classifier once per
    /// Python worker.
    #[staticmethod]
    #[pyo3(signature = (taxonomy_dir, rules=None, top_k=5, description_weight=1.0, level_threshold=0.5, ai_keywords=None))]
    fn shared(
        py: Python<'_>,
        taxonomy_dir: PathBuf,
        rules: Option<PathBuf>,
        top_k: usize,
        description_weight: f32,
        level_threshold: f32,
        ai_keywords: Option<Vec<String>>,
    ) -> PyResult<Py<PyClassifier>> {
        let key = SharedKey {
            taxonomy_dir: taxonomy_dir.clone(),
            rules: rules.clone(),
            options: (top_k, description_weight.to_bits(), level_threshold.to_bits()),
            ai_keywords: ai_keywords.clone(),
        };
        // Held across the build, so that two threads do not build it twice.
        let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = shared.iter().find(|(k, _)| *k == key) {
            return Ok(c.clone_ref(py));
        }
        let built = Py::new(
            py,
            PyClassifier::new(py, taxonomy_dir, rules, top_k, description_weight, level_threshold, ai_keywords)?,
        )?;
        shared.push((key, built.clone_ref(py)));
        Ok(built)
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
            self.with_scratch(|scratch| classify_batch(&self.inner, &titles, descriptions.as_ref(), scratch))
        });
        Ok(PyArrowType(out.map_err(text_error)?))
    }

    /// Codes a batch of canonical postings as `zhiye run`'s main pass does:
    /// returns the rows of its classified Parquet (`out/current/classified/`),
    /// same columns, same values. `batch` needs `posting_id`, `platform`,
    /// `posted_at` (date32), `title`, `description`, the corpus row number
    /// (column `row`, int64 or uint64) and, optionally, the repost anchor
    /// (column `dup_of`; absent: none); `city`, `industry`, `salary_text`,
    /// `experience_text`, `education_text`, `headcount_text` and `true_code`
    /// are used when present. With `spark_types`, unsigned columns come back as
    /// the signed types Spark SQL has (`row`, `dup_of`, `headcount` int64,
    /// `exp_min` int32).
    #[pyo3(signature = (batch, row="row", dup_of=Some("dup_of"), spark_types=false))]
    fn code_postings(
        &self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
        row: &str,
        dup_of: Option<&str>,
        spark_types: bool,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let batch = postings::with_utf8_inputs(&batch.0).map_err(type_error)?;
        let column = |name: &str| {
            batch.column_by_name(name).ok_or_else(|| PyKeyError::new_err(format!("no column {name:?} in the batch")))
        };
        let rows: Vec<u64> = postings::row_numbers(column(row)?, row)
            .map_err(type_error)?
            .into_iter()
            .collect::<Option<_>>()
            .ok_or_else(|| PyValueError::new_err(format!("column {row:?} has nulls")))?;
        let anchors = match dup_of.filter(|d| batch.column_by_name(d).is_some()) {
            Some(d) => postings::row_numbers(column(d)?, d).map_err(type_error)?,
            None => vec![None; batch.num_rows()],
        };
        let out = py.detach(|| {
            self.with_scratch(|scratch| {
                self.coder.code(&self.inner, &batch, rows, anchors, scratch, &mut ParseRates::default())
            })
        });
        let out = out.map_err(text_error)?;
        Ok(PyArrowType(if spark_types { postings::spark_types(out).map_err(value_error)? } else { out }))
    }

    /// The AI-skill phrases `code_postings` flags (`ai_mention`).
    #[getter]
    fn ai_keywords(&self) -> Vec<String> {
        self.ai_keywords.clone()
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
        let args = (
            me.taxonomy_dir(),
            me.rules(),
            me.top_k(),
            me.description_weight(),
            me.level_threshold(),
            me.ai_keywords(),
        );
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

/// Classifiers this process has built (`Classifier(...)` and first
/// `Classifier.shared(...)` calls).
static BUILT: AtomicU64 = AtomicU64::new(0);

/// The arguments of a shared classifier.
#[derive(PartialEq)]
struct SharedKey {
    taxonomy_dir: PathBuf,
    rules: Option<PathBuf>,
    /// `top_k` and the bits of the two float options.
    options: (usize, u32, u32),
    ai_keywords: Option<Vec<String>>,
}

/// The classifiers of `Classifier.shared`, by their arguments.
static SHARED: Mutex<Vec<(SharedKey, Py<PyClassifier>)>> = Mutex::new(Vec::new());

/// How many classifiers this process has built: a Spark worker that reuses
/// its state builds one.
#[pyfunction]
fn classifiers_built() -> u64 {
    BUILT.load(Ordering::Relaxed)
}

impl PyClassifier {
    /// Runs `f` with the object's scratch, counting the call.
    fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        self.calls.fetch_add(1, Ordering::Relaxed);
        match self.scratch.try_lock() {
            Ok(mut scratch) => f(&mut scratch),
            // A call panicked mid-way: the scratch is reset per posting, so it
            // is still fit for use.
            Err(TryLockError::Poisoned(p)) => f(&mut p.into_inner()),
            // Another thread is using it: take a fresh one rather than wait.
            Err(TryLockError::WouldBlock) => f(&mut Scratch::sharing(&self.memo)),
        }
    }
}

/// The de-duplication key of each posting (employer, title and city
/// normalised and hashed, as `zhiye run` keys reposts): an int64 array (the
/// key's 64 bits), null where the employer or title normalises to nothing.
#[pyfunction]
fn dedup_keys(
    py: Python<'_>,
    company: PyArrowType<ArrayData>,
    title: PyArrowType<ArrayData>,
    city: PyArrowType<ArrayData>,
) -> PyResult<PyArrowType<ArrayData>> {
    let (company, title, city) = (make_array(company.0), make_array(title.0), make_array(city.0));
    let keys = py.detach(|| postings::dedup_keys(&company, &title, &city)).map_err(type_error)?;
    Ok(PyArrowType(keys.into_data()))
}

/// Reposts among the rows of `batch` (columns `key` from `dedup_keys`,
/// `posted_at` date32 and `row`): a record batch of `(row, dup_of)` int64
/// pairs, sorted by row, as `zhiye run` flags them with a window of
/// `window_days`. Every row of a key must be in the one call (in Spark:
/// partition by key).
#[pyfunction]
#[pyo3(signature = (batch, window_days=30))]
fn find_reposts(
    py: Python<'_>,
    batch: PyArrowType<RecordBatch>,
    window_days: i32,
) -> PyResult<PyArrowType<RecordBatch>> {
    let out = py.detach(|| postings::find_reposts(&batch.0, window_days)).map_err(value_error)?;
    Ok(PyArrowType(out))
}

/// The options of a zhiye configuration file (`config/*.toml`; None: the
/// defaults) that the classification steps use, resolved as `zhiye run`
/// resolves them: `{"taxonomy_dir", "rules" (None when empty), "top_k",
/// "description_weight", "level_threshold", "ai_keywords", "dedup_enabled",
/// "window_days"}`. `ValueError` for an unknown key or a bad value.
#[pyfunction]
#[pyo3(signature = (path=None))]
fn read_config(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Bound<'_, PyDict>> {
    let config = match path {
        Some(p) => zhiye_core::Config::from_path(&p).map_err(|e| match e {
            zhiye_core::Error::Io { .. } => PyOSError::new_err(zhiye_core::causes(&e)),
            other => PyValueError::new_err(zhiye_core::causes(&other)),
        })?,
        None => zhiye_core::Config::default(),
    };
    let c = &config.classify;
    let d = PyDict::new(py);
    d.set_item("taxonomy_dir", config.taxonomy.dir.display().to_string())?;
    d.set_item("rules", (!c.rules.as_os_str().is_empty()).then(|| c.rules.display().to_string()))?;
    d.set_item("top_k", c.top_k)?;
    d.set_item("description_weight", c.description_weight)?;
    d.set_item("level_threshold", c.level_threshold)?;
    d.set_item("ai_keywords", &config.aggregate.ai_keywords)?;
    d.set_item("dedup_enabled", config.dedup.enabled)?;
    d.set_item("window_days", config.dedup.window_days)?;
    Ok(d)
}

/// The strings of a pyarrow array (`string`, `large_string`, `string_view`,
/// dictionary of strings, or all null).
fn input_strings(array: PyArrowType<ArrayData>) -> PyResult<StringArray> {
    let array: ArrayRef = make_array(array.0);
    columns::strings(&array, "the input").map_err(type_error)
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
    Ok(PyArrowType(py.detach(|| columns::single(ParsedField::Experience, &a).to_data())))
}

/// Parses education requirements (`本科及以上` …) into the ordinal level
/// (`education`, int8: 0 不限, 1 初中, 2 高中/中专, 3 大专, 4 本科, 5 硕士,
/// 6 博士; null where no level is named).
#[pyfunction]
fn parse_education(py: Python<'_>, array: PyArrowType<ArrayData>) -> PyResult<PyArrowType<ArrayData>> {
    let a = input_strings(array)?;
    Ok(PyArrowType(py.detach(|| columns::single(ParsedField::Education, &a).to_data())))
}

/// Parses head-counts (`招3人`, `若干` …) into the openings stated
/// (`headcount`, uint32; null when missing, 若干 or not parsed).
#[pyfunction]
fn parse_headcount(py: Python<'_>, array: PyArrowType<ArrayData>) -> PyResult<PyArrowType<ArrayData>> {
    let a = input_strings(array)?;
    Ok(PyArrowType(py.detach(|| columns::single(ParsedField::Headcount, &a).to_data())))
}

/// The parse counts of a batch of raw postings, as `zhiye run` keeps them in
/// its run summary: a record batch of one row with `<field>_non_empty` and
/// `<field>_parsed` (int64) for salary, experience, education and headcount,
/// read from the columns `salary_text`, `experience_text`, `education_text`
/// and `headcount_text` (absent: nothing to count). Sum them over a corpus and
/// pass them to `zhiye aggregate --parse-rates` (the Spark job does).
#[pyfunction]
fn parse_rates(py: Python<'_>, batch: PyArrowType<RecordBatch>) -> PyResult<PyArrowType<RecordBatch>> {
    let batch = batch.0;
    let names = ["salary_text", "experience_text", "education_text", "headcount_text"];
    let columns: Vec<Option<StringArray>> = names
        .iter()
        .map(|&n| batch.column_by_name(n).map(|_| string_column(&batch, n)).transpose())
        .collect::<PyResult<_>>()?;
    let rates = py.detach(|| {
        let fields = [0, 1, 2, 3].map(|i| columns[i].as_ref());
        zhiye_postings::parse_rates(fields, batch.num_rows())
    });
    Ok(PyArrowType(columns::rates_batch(&rates)))
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
    m.add_function(wrap_pyfunction!(parse_rates, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_keys, m)?)?;
    m.add_function(wrap_pyfunction!(find_reposts, m)?)?;
    m.add_function(wrap_pyfunction!(classifiers_built, m)?)?;
    m.add_function(wrap_pyfunction!(read_config, m)?)?;
    Ok(())
}
