//! [`Error`]: what can go wrong while reading inputs or computing analyses.

use std::path::PathBuf;

/// An error of the analysis crate. Messages about input files name the file,
/// the 1-based data row (the header is row 0) and the column.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
    /// A Parquet file could not be opened.
    #[error("{path}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// The record batches of a Parquet file could not be read.
    #[error("{path}: the rows from row {row}")]
    Arrow {
        /// The file.
        path: PathBuf,
        /// 1-based data row where the batch that failed starts.
        row: u64,
        /// The cause.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// A JSON file could not be parsed.
    #[error("{path}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A required column is missing from a header or schema.
    #[error("{path}: missing column {column:?}")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: String,
    },
    /// A field holds a value that cannot be used.
    #[error("{path}: row {row}, field {field}: {message}")]
    Field {
        /// The file.
        path: PathBuf,
        /// 1-based data row (the header is row 0).
        row: u64,
        /// The column name.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A key that must be unique appears twice.
    #[error("{path}: row {row}: duplicate {key} (first on row {first_row})")]
    Duplicate {
        /// The file.
        path: PathBuf,
        /// 1-based data row of the repeat.
        row: u64,
        /// 1-based data row of the first occurrence.
        first_row: u64,
        /// The repeated key, e.g. `(code, model, run) = (2-02-01-01, a, 1)`.
        key: String,
    },
    /// An in-memory input the caller passed holds a value that cannot be used.
    #[error("{context}: {message}")]
    Input {
        /// Which input and item.
        context: String,
        /// What is wrong.
        message: String,
    },
}

/// Result alias of the analysis crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
