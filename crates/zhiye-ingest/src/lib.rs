//! Reading and writing postings: the canonical schema, Parquet partitions and
//! the parsers of the free-text fields.
//!
//! - [`posting_schema`] and [`col`] define the canonical columns every import
//!   produces and every stage reads.
//! - [`ParquetSink`] writes a file atomically (temporary file, then rename);
//!   [`fold_row_groups`] streams many files in parallel by row group, projected
//!   onto the columns a stage needs, with memory bounded by one batch per
//!   thread.
//! - [`fields`] parses the free-text fields: salaries (to monthly CNY),
//!   experience (years), education (an ordinal level), head-counts and dates.
//! - [`import`] turns real job-board exports (CSV in UTF-8 or GB18030,
//!   workbooks, JSONL, Parquet with other names) into canonical Parquet with a
//!   TOML [`import::Mapping`] per source; every row is written or quarantined.
//!
//! ```
//! use zhiye_ingest::fields::{Headcount, parse_headcount};
//!
//! assert_eq!(parse_headcount("招3人"), Headcount::Count(3));
//! assert_eq!(parse_headcount("若干").vacancies(1), 1);
//! ```

mod error;
pub mod fields;
pub mod import;
mod parquet_io;
mod schema;

pub use error::{IngestError, Result};
pub use parquet_io::{
    BATCH_ROWS, ParquetSink, ROW_GROUP_ROWS, RowGroupRef, check_posting_file, column_names, fold_row_groups,
    list_parquet, read_row_group, row_group_batches, row_groups, scan_row_groups, write_parquet,
};
pub use schema::{col, posting_schema};
