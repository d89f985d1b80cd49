//! [`AggError`]: what can go wrong while aggregating.

use std::path::PathBuf;

/// An error of the aggregation.
#[derive(Debug, thiserror::Error)]
pub enum AggError {
    /// The classified postings could not be read.
    #[error("{path}: {message}")]
    Input {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The query engine failed.
    #[error("aggregation ({context}): {message}")]
    Engine {
        /// The table or step.
        context: String,
        /// The engine's message.
        message: String,
    },
}

/// The result type of this crate.
pub type Result<T, E = AggError> = std::result::Result<T, E>;
