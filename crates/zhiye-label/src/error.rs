//! [`LabelError`]: what stops a labelling run. A bad reply is not an error:
//! it is retried, then recorded as `invalid` (see [`crate::Outcome`]).

use std::path::PathBuf;

/// An error that ends a labelling run.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    /// The configuration or the prompt template is wrong.
    #[error("{path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The configuration or the prompt template is not valid TOML of its kind.
    #[error("{path}: not a valid labelling configuration or template")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's error.
        #[source]
        source: toml::de::Error,
    },
    /// A file could not be read or written.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A label file or cache part could not be read or built as Arrow data.
    #[error("{path}")]
    Arrow {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// A cache part is not a Parquet file.
    #[error("{path}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A cache part lacks a column, or has it with another type.
    #[error("{path}: column {column}: missing or not {expected} (written by another version?)")]
    Column {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
        /// Its type in a cache part.
        expected: &'static str,
    },
    /// An endpoint refused the requests themselves (401, 403, 404 …): retrying
    /// cannot help, so the run stops rather than burn through every occupation.
    #[error("model {model}: {url} answered {status}: {body}")]
    Refused {
        /// The model's name in the configuration.
        model: String,
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of the reply.
        body: String,
    },
    /// Many labels in a row failed every attempt (connection refused,
    /// timeouts, 5xx): the endpoint is down or overloaded, so the run stops;
    /// what was answered is cached.
    #[error("{failed} labels in a row failed every attempt; the last: {last}")]
    Unreachable {
        /// Labels failed in a row.
        failed: usize,
        /// The last failure.
        last: String,
    },
    /// The taxonomy could not be loaded.
    #[error(transparent)]
    Taxonomy(#[from] zhiye_core::Error),
    /// The label cache could not be read or written.
    #[error(transparent)]
    Cache(#[from] zhiye_ingest::IngestError),
}

impl LabelError {
    /// A mapper of I/O errors on `path`.
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> LabelError + '_ {
        move |source| LabelError::Io { path: path.into(), source }
    }
}

/// The result type of this crate.
pub type Result<T, E = LabelError> = std::result::Result<T, E>;
