use std::path::PathBuf;

/// Errors of the core crate: reading the taxonomy and the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A string that is not an OCD code.
    #[error("not an OCD code: {0:?} (expected e.g. 2-02-07-04)")]
    BadCode(String),
    /// The taxonomy file is not there.
    #[error(
        "{path} not found: run `zhiye setup` (or `make setup` in a checkout), or give its folder ([taxonomy] dir, --taxonomy)"
    )]
    NoTaxonomy {
        /// The file looked for.
        path: PathBuf,
    },
    /// A file could not be opened or read.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A CSV record could not be read.
    #[error("{path}: row {row}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based data row (the header is row 0).
        row: u64,
        /// The cause.
        source: csv::Error,
    },
    /// A field holds a value that cannot be used.
    #[error("{path}: row {row}, field {field}: {message}")]
    Field {
        /// The file.
        path: PathBuf,
        /// 1-based data row (the header is row 0).
        row: u64,
        /// The column name.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A required column is missing from a header.
    #[error("{path}: missing column {column:?}")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: String,
    },
    /// A field holds something that is not an OCD code.
    #[error("{path}: row {row}, field code")]
    Code {
        /// The file.
        path: PathBuf,
        /// 1-based data row (the header is row 0).
        row: u64,
        /// The cause: an [`Error::BadCode`].
        #[source]
        source: Box<Error>,
    },
    /// A configuration file could not be parsed.
    #[error("{path}: not a valid configuration")]
    Config {
        /// The file (or `<embedded default>`).
        path: PathBuf,
        /// The parser's error.
        #[source]
        source: toml::de::Error,
    },
    /// A configuration file named on the command line could not be read.
    #[error("{path}: cannot read the configuration")]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Result alias of the core crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its sources, joined by `: ` as `anyhow` prints them with
/// `{:#}`: for messages that leave the process some other way (a run
/// summary, a Python exception).
pub fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}
