use std::path::PathBuf;

/// Errors of the pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The taxonomy or configuration could not be loaded.
    #[error(transparent)]
    Core(#[from] zhiye_core::Error),
    /// The classifier could not be built or fed.
    #[error(transparent)]
    Text(#[from] zhiye_text::TextError),
    /// Postings could not be read or written.
    #[error(transparent)]
    Ingest(#[from] zhiye_ingest::IngestError),
    /// The aggregation failed.
    #[error(transparent)]
    Aggregate(#[from] zhiye_agg::AggError),
    /// An analysis input is malformed or an analysis failed.
    #[error(transparent)]
    Analysis(#[from] zhiye_analysis::Error),
    /// The report could not be rendered or written.
    #[error(transparent)]
    Report(#[from] zhiye_report::Error),
    /// The synthetic corpus could not be generated.
    #[error("cannot generate the synthetic corpus into {path}")]
    Generate {
        /// Its folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: zhiye_synth::SynthError,
    },
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// The configuration is inconsistent.
    #[error("configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// Two independent computations of the same counts disagree.
    #[error("tables do not reconcile: {message}")]
    Reconcile {
        /// Which counts differ.
        message: String,
    },
    /// An input file has a bad row or field.
    #[error("{path}{}{}: {message}", at_row(*row), if field.is_empty() { String::new() } else { format!(", field {field}") })]
    Input {
        /// The file.
        path: PathBuf,
        /// 1-based data row (0: the header or the whole file).
        row: u64,
        /// The field, if one is to blame.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A corpus file cannot be read as posting Parquet (`[input] on_bad_file = "fail"`).
    #[error(
        "an input file is not readable posting Parquet, nothing was published ([input] on_bad_file = \"skip\" leaves such files out)"
    )]
    BadFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: zhiye_ingest::IngestError,
    },
    /// The run published without some unreadable corpus files (`[input] on_bad_file = "skip"`).
    #[error("published {version}, but without {} unreadable input file(s), listed with their reasons in its run_summary.json: {}", files.len(), files.join(", "))]
    SkippedInput {
        /// The published version.
        version: PathBuf,
        /// The files left out, relative to the corpus folder.
        files: Vec<String>,
    },
    /// A CSV input (a gold file, a peer's predictions) cannot be read.
    #[error("{path}{}: cannot read the CSV", at_row(*row))]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based data row (0: the file or its header).
        row: u64,
        /// Why.
        #[source]
        source: csv::Error,
    },
    /// The rows counted or written do not match the rows in the input files.
    #[error("ledger does not balance: {in_files} rows in the input files, {counted} counted, {written} written")]
    Ledger {
        /// Rows according to the files' metadata.
        in_files: u64,
        /// Rows counted in the aggregate.
        counted: u64,
        /// Classified rows written.
        written: u64,
    },
    /// Another run holds the output folder's lock.
    #[error("{path} is locked by another zhiye run ({holder}); it is still running, try again when it ends")]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// What the holder wrote in it (its pid and start time).
        holder: String,
    },
    /// The state of earlier runs (manifest, published versions) is not what
    /// this zhiye writes.
    #[error("{path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An output of `zhiye run` that a later command reads is not there.
    #[error("{path}: not found (run `zhiye run` first)")]
    NoRun {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file or folder could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file or folder could not be written (created, renamed, removed).
    #[error("cannot write {path}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A JSON file of the state or the outputs could not be read or written.
    #[error("{path}: not the JSON zhiye writes")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A Parquet file of the state or the outputs could not be read.
    #[error("cannot read {path} as Parquet")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Arrow data of a file could not be read or built.
    #[error("{path}: Arrow data")]
    Arrow {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
}

impl PipelineError {
    /// A mapper of I/O errors reading `path`.
    pub(crate) fn read(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> PipelineError {
        let path = path.into();
        move |source| PipelineError::Read { path, source }
    }

    /// A mapper of I/O errors writing `path`.
    pub(crate) fn write(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> PipelineError {
        let path = path.into();
        move |source| PipelineError::Write { path, source }
    }

    /// A mapper of JSON errors on `path`.
    pub(crate) fn json(path: impl Into<PathBuf>) -> impl FnOnce(serde_json::Error) -> PipelineError {
        let path = path.into();
        move |source| PipelineError::Json { path, source }
    }
}

impl PipelineError {
    /// The process exit code a scheduler sees for this error (see the README's
    /// "Nightly runs" section): 2 configuration, 3 locked by another run, 4 bad
    /// input, 5 published without unreadable input files, 1 anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            PipelineError::Config { .. }
            | PipelineError::Core(zhiye_core::Error::Config { .. } | zhiye_core::Error::ConfigFile { .. }) => 2,
            PipelineError::Locked { .. } => 3,
            PipelineError::Input { .. }
            | PipelineError::NoRun { .. }
            | PipelineError::BadFile { .. }
            | PipelineError::Csv { .. }
            | PipelineError::Ledger { .. } => 4,
            PipelineError::SkippedInput { .. } => 5,
            _ => 1,
        }
    }
}

/// Result alias of the pipeline crate.
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;

/// `: row N` for a data row, nothing for the file as a whole (row 0).
fn at_row(row: u64) -> String {
    if row == 0 { String::new() } else { format!(": row {row}") }
}
