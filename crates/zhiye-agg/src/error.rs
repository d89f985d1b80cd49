//! [`AggError`]: what can go wrong while aggregating.

use std::path::PathBuf;

/// An error of the aggregation.
#[derive(Debug, thiserror::Error)]
pub enum AggError {
    /// The classified postings cannot be used (a path that is not UTF-8).
    #[error("{path}: {message}")]
    Input {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The classified postings could not be registered with the engine.
    #[error("{path}: cannot read the classified postings")]
    Register {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<datafusion::error::DataFusionError>,
    },
    /// The query runtime could not be started.
    #[error("aggregation: cannot start the query runtime")]
    Runtime {
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The query engine failed.
    #[error("aggregation ({context})")]
    Engine {
        /// The table or step.
        context: String,
        /// Why.
        #[source]
        source: Box<datafusion::error::DataFusionError>,
    },
    /// A table could not be assembled.
    #[error("aggregation ({context})")]
    Arrow {
        /// The table.
        context: String,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
}

/// The result type of this crate.
pub type Result<T, E = AggError> = std::result::Result<T, E>;
