//! Real-world imports: job-board exports (CSV, workbooks, JSONL, Parquet with
//! their own column names) → the canonical posting schema, with nothing lost.
//!
//! A [`Mapping`] (one TOML file per source, `config/mappings/*.toml`) says
//! which source columns feed which canonical column and how their text is
//! cleaned; [`import`] reads the inputs and writes
//!
//! - `OUT/postings/<input stem>.parquet`: one canonical file per input
//!   ([`crate::posting_schema`], written atomically), the folder to give the
//!   pipeline as its corpus;
//! - `OUT/quarantine.parquet`: every row not written there, with `file`,
//!   `sheet`, `row`, `field`, `reason` and the `raw` row text
//!   ([`quarantine_schema`]).
//!
//! The ledger `rows in = rows out + quarantined` is checked per input and
//! overall; an import whose ledger does not balance fails. A row is
//! quarantined when it is blank (`blank row`: a spreadsheet row with no
//! text), has no title (`empty title`), has a `posted_at` text that does not
//! parse (`unparsed date …`), is a CSV record with another field count than
//! the header, or is a JSONL line that is not an object. A missing field is
//! not an error: the column is null. A file that cannot be read (missing,
//! malformed CSV, bytes invalid in its encoding, no column for the title) is
//! an [`ImportError`] naming the file; [`OnError::Skip`] leaves such files
//! out and lists them in [`ImportSummary::skipped`].
//!
//! # Readers
//!
//! - **CSV**: the mapping's `delimiter`; UTF-8, UTF-8 with BOM, UTF-16 (BOM)
//!   or GB18030/GBK, detected (a BOM decides; otherwise UTF-8 if the first MiB
//!   is valid UTF-8, else GB18030) unless the mapping sets `encoding`. Bytes
//!   invalid in the chosen encoding anywhere are an error with their offset.
//! - **Workbooks** (xlsx, xlsm, xlsb, xls, ods; `calamine`): every sheet (or
//!   the mapping's `sheets`), columns matched by header name per sheet.
//!   Numbers print without `.0`, date cells as `YYYY-MM-DD`, error cells as
//!   empty.
//! - **JSONL**: one object per line, columns by top-level key; blank lines
//!   are not rows.
//! - **Parquet**: any column names; the mapped columns are cast to text.
//!
//! # Mapping keys
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `platform` | required | value of the `platform` column |
//! | `format` | `auto` | `auto` (by extension), `csv`, `xlsx`, `jsonl`, `parquet` |
//! | `encoding` | `auto` | CSV: `auto`, `utf-8`, `gb18030` (alias `gbk`) |
//! | `delimiter` | `,` | CSV field delimiter |
//! | `header` | `true` | the first row names the columns (CSV, workbooks) |
//! | `sheets` | all | workbook sheets to read |
//! | `null_values` | none | values read as missing after transforms, e.g. `["N/A"]` |
//! | `posting_id` | `{platform}-{file_stem}-{sheet}-{row}` (workbooks), `{platform}-{file_stem}-{row}` | id template when there is no id column or its cell is empty |
//! | `year` | none | year of dates printed without one |
//! | `[columns.NAME]` | | one table per canonical column (`posting_id`, `platform`, `posted_at`, `title` (required), `description`, `company`, `city`, `industry`, `salary_text`, `experience_text`, `education_text`, `headcount_text`, `true_code`) |
//! | `from` | required | candidate sources: header names or 0-based positions; the first non-empty accepted one wins |
//! | `unwrap_pylist` | `false` | `['a', 'b']` → `a b` |
//! | `split`, `part` | none, `0` | keep part `part` (−1 = last) of the text split on `split` |
//! | `append` | none | suffix added to a value with a digit that does not already end with it |
//! | `accept` | none | `salary`, `experience`, `education`, `headcount`, `date`: take a candidate only if that parser recognises it |
//! | `date_format` | all known forms | `posted_at` only: `%Y-%m-%d`, `%m-%d发布` … |
//!
//! The candidates of a column are cleaned in this order: trim → `unwrap_pylist`
//! → `split`/`part` → trim → `null_values` → `append` → `accept`.
//! `config/mappings/example.toml` shows every key with comments.
//!
//! # Parse rates
//!
//! The summary gives, per input, the share of non-empty salary, experience,
//! education, head-count and date strings that the [`crate::fields`] parsers
//! understand (a value, or 面议 / 若干), with the most frequent failures, and
//! per column the rows where `accept` refused every candidate.

mod canonical;
mod csv_file;
mod decode;
mod error;
mod extract;
mod jsonl;
mod mapping;
mod parquet_file;
mod quarantine;
mod run;
mod summary;
mod table;
mod workbook;

pub use error::ImportError;
pub use mapping::{Canonical, ColumnSpec, FieldKind, InputFormat, Mapping, SourceRef, TextEncoding};
pub use quarantine::quarantine_schema;
pub use run::{ImportOptions, OnError, POSTINGS_DIR, QUARANTINE_FILE, import};
pub use summary::{FieldRate, ImportSummary, InputSummary, ParseRates, SkippedInput, TableSummary};
