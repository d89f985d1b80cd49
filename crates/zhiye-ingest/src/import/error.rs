//! The errors of an import: each names the file and says what is wrong.

use std::path::PathBuf;

use crate::IngestError;

/// Why an import, or one of its input files, failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The mapping file is inconsistent.
    #[error("mapping {path}: {message}")]
    Mapping {
        /// The mapping file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The mapping file is not valid TOML or does not fit the mapping's
    /// fields.
    #[error("mapping {path}")]
    MappingToml {
        /// The mapping file.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A file could not be opened or read.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Bytes that are not valid in the file's (detected or declared) encoding.
    #[error("{path}: not valid {encoding} at {at}{hint}")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// The encoding the bytes were decoded as.
        encoding: &'static str,
        /// Where: a byte offset or a CSV record.
        at: String,
        /// What to try, if anything.
        hint: &'static str,
    },
    /// A CSV file that the CSV reader cannot parse (e.g. an unterminated quote).
    #[error("{path}: malformed CSV at record {record}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based record number (the header is record 1).
        record: u64,
        /// The CSV reader's error.
        #[source]
        source: csv::Error,
    },
    /// A workbook that cannot be opened or a sheet that cannot be read.
    #[error("{path}: workbook{}", sheet.as_ref().map(|s| format!(", sheet {s:?}")).unwrap_or_default())]
    Workbook {
        /// The file.
        path: PathBuf,
        /// The sheet, if the workbook opened.
        sheet: Option<String>,
        /// Why.
        #[source]
        source: Box<calamine::Error>,
    },
    /// The file does not fit the mapping or its format (unknown extension, no
    /// column for the title, a JSONL mapping by column index …).
    #[error("{path}{}: {message}", sheet.as_ref().map(|s| format!(" (sheet {s:?})")).unwrap_or_default())]
    Layout {
        /// The file.
        path: PathBuf,
        /// The sheet, for workbooks.
        sheet: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// Reading a Parquet input or writing an output failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// An Arrow operation on a Parquet input failed.
    #[error("{path}")]
    Arrow {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: arrow_schema::ArrowError,
    },
    /// The ledger `rows in = rows out + quarantined` does not hold: a bug,
    /// never a property of the input.
    #[error("{path}: ledger does not balance: {rows_in} rows in ≠ {rows_out} out + {quarantined} quarantined")]
    Unbalanced {
        /// The input file, or the output folder for the overall ledger.
        path: PathBuf,
        /// Rows read.
        rows_in: u64,
        /// Rows written to the canonical file.
        rows_out: u64,
        /// Rows written to the quarantine.
        quarantined: u64,
    },
}

impl ImportError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ImportError {
        let path = path.into();
        move |source| ImportError::Io { path, source }
    }

    pub(crate) fn layout(path: impl Into<PathBuf>, sheet: Option<&str>, message: impl Into<String>) -> ImportError {
        ImportError::Layout { path: path.into(), sheet: sheet.map(str::to_owned), message: message.into() }
    }
}
