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
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
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

/// The result type of this crate.
pub type Result<T, E = LabelError> = std::result::Result<T, E>;
