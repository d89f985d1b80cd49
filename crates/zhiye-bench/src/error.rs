//! [`BenchError`]: what can stop a benchmark.

use std::path::PathBuf;

/// An error of `zhiye bench`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// The taxonomy could not be loaded.
    #[error(transparent)]
    Core(#[from] zhiye_core::Error),
    /// A stage of the pipeline failed.
    #[error(transparent)]
    Pipeline(#[from] zhiye_pipeline::PipelineError),
    /// The corpus could not be read or written.
    #[error(transparent)]
    Ingest(#[from] zhiye_ingest::IngestError),
    /// The classifier failed.
    #[error(transparent)]
    Text(#[from] zhiye_text::TextError),
    /// The aggregation failed.
    #[error(transparent)]
    Aggregate(#[from] zhiye_agg::AggError),
    /// The corpus folder holds another corpus than the one asked for.
    #[error("{path}: holds {found} postings, not {wanted}; remove it or choose another --corpus")]
    CorpusSize {
        /// The folder.
        path: PathBuf,
        /// Postings in its files.
        found: u64,
        /// Postings asked for.
        wanted: u64,
    },
    /// A file or folder could not be read or written.
    #[error("{path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A comparison tool (the Python peer, DuckDB, a venv set-up) failed or
    /// printed something unexpected.
    #[error("{tool}: {message}")]
    Tool {
        /// Which tool.
        tool: String,
        /// What went wrong, with its output.
        message: String,
    },
    /// A comparison tool could not be started.
    #[error("cannot start {tool}")]
    Spawn {
        /// Which tool.
        tool: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A comparison's JSON could not be written or read.
    #[error("{what}: JSON")]
    Json {
        /// Which file or tool output.
        what: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A column of the published table could not be read as compared.
    #[error("occupation_year column {column}")]
    Column {
        /// The column.
        column: String,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// The synthetic corpus could not be generated.
    #[error("cannot generate the corpus into {path}")]
    Generate {
        /// Its folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: zhiye_synth::SynthError,
    },
    /// Invalid options.
    #[error("bench options: {0}")]
    Options(String),
}

impl BenchError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> BenchError {
        let path = path.into();
        move |source| BenchError::Io { path, source }
    }
}

/// Result alias of the bench.
pub type Result<T, E = BenchError> = std::result::Result<T, E>;
