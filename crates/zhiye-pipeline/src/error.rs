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
    #[error("analysis: {message}")]
    Analysis {
        /// What is wrong (names the file, row and field for bad input).
        message: String,
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
    /// The state of earlier runs (manifest, published versions) is unreadable.
    #[error("{path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output could not be written.
    #[error("{path}: {message}")]
    Output {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
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
