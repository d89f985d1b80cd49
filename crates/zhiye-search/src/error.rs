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
    /// The query or a filter could not be parsed.
    #[error("query: {0}")]
    Query(String),
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
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
    pub(crate) fn io(path: &Path, e: std::io::Error) -> SearchError {
        SearchError::Io { path: path.into(), message: e.to_string() }
    }
}

/// The result type of this crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
