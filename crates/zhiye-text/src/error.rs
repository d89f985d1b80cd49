use std::path::PathBuf;

/// Errors of building the classifier.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The taxonomy could not be loaded.
    #[error(transparent)]
    Taxonomy(#[from] zhiye_core::Error),
    /// A word list or a rules file holds something that cannot be used.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A CSV file (the city list) cannot be read.
    #[error("{path}: row {row}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based data row (the header is row 0).
        row: u64,
        /// Why.
        #[source]
        source: csv::Error,
    },
    /// A rule names something that is not an OCD code.
    #[error("{path}: rule {rule}: code")]
    RuleCode {
        /// The rules file.
        path: PathBuf,
        /// 1-based rule number.
        rule: usize,
        /// Why: an unparsable code.
        #[source]
        source: Box<zhiye_core::Error>,
    },
    /// The rules' regular expressions do not compile.
    #[error("{path}: rule regexes")]
    Regex {
        /// The rules file.
        path: PathBuf,
        /// Why.
        #[source]
        source: regex::Error,
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
    #[error("cannot build the {what} matcher")]
    Automaton {
        /// Which matcher (`title noise`, `keyword list` …).
        what: &'static str,
        /// Why.
        #[source]
        source: aho_corasick::BuildError,
    },
    /// A batch of classified columns could not be assembled.
    #[error("cannot build the {what} batch")]
    Arrow {
        /// Which batch.
        what: &'static str,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
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
