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
    #[error("{path}: row {row}{}: {message}", if field.is_empty() { String::new() } else { format!(", field {field}") })]
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
    /// An output could not be written.
    #[error("{path}: {message}")]
    Output {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Result alias of the pipeline crate.
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;
