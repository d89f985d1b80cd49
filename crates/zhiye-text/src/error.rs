use std::path::PathBuf;

/// Errors of building the classifier.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The taxonomy could not be loaded.
    #[error(transparent)]
    Taxonomy(#[from] zhiye_core::Error),
    /// A word list could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file cannot be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A TOML file (rules, fusion weights) does not parse.
    #[error("{path}: not a valid file")]
    Toml {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: toml::de::Error,
    },
    /// The taxonomy has no occupation to classify onto.
    #[error("the taxonomy has no occupations")]
    EmptyTaxonomy,
    /// An Aho-Corasick automaton could not be built.
    #[error("cannot build matcher: {0}")]
    Automaton(String),
    /// A batch lacks a column or has it with another type.
    #[error("column {column:?}: {message}")]
    Column {
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
}

/// Result alias of the text crate.
pub type Result<T, E = TextError> = std::result::Result<T, E>;
