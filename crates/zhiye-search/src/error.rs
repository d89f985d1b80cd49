//! [`SearchError`]: what can go wrong indexing or searching.

use std::path::{Path, PathBuf};

/// An error of indexing or searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index folder has no index.
    #[error("{0}: no index here (build one with `zhiye index`)")]
    NoIndex(PathBuf),
    /// The index was built by another version of zhiye (its fields differ).
    #[error("{0}: built by another version of zhiye (other fields); delete it and run `zhiye index` again")]
    OtherSchema(PathBuf),
    /// A filter is not valid.
    #[error("query: {0}")]
    Query(String),
    /// The query text could not be parsed.
    #[error("query {query:?}")]
    Parse {
        /// The query.
        query: String,
        /// Why.
        #[source]
        source: tantivy::query::QueryParserError,
    },
    /// The facet aggregation could not be built or its result read.
    #[error("facets: cannot {what}")]
    Facets {
        /// What failed: `build the request`, `read the result`.
        what: &'static str,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The corpus to index is not there or holds nothing to index.
    #[error("{path}: {message}")]
    Corpus {
        /// The folder.
        path: PathBuf,
        /// What is wrong.
        message: &'static str,
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
    /// The index's manifest is not valid JSON.
    #[error("{path}: not a valid index manifest")]
    Manifest {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The index's dictionary cannot be read.
    #[error(
        "{path}: cannot read the index's dictionary (built by an older zhiye or not by zhiye: delete the folder and run `zhiye index` again)"
    )]
    Words {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The search engine failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// The corpus could not be read.
    #[error(transparent)]
    Ingest(#[from] zhiye_ingest::IngestError),
    /// A batch could not be coded.
    #[error(transparent)]
    Text(#[from] zhiye_text::TextError),
}

impl SearchError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> SearchError {
        SearchError::Io { path: path.into(), source }
    }
}

/// The result type of this crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
