//! The classified postings, a batch at a time — the part of `zhiye run`'s
//! main pass that the Python wheel (and so Spark) runs too, free of any query
//! engine.
//!
//! - [`PostingCoder`] turns a batch of canonical postings, with each
//!   posting's corpus row number and repost anchor, into the classified batch
//!   `zhiye run` writes: the classification of [`zhiye_text::Classifier`], the
//!   parsed salary, experience, education and head-count, the year and month,
//!   the AI-skill mention. [`ParseRates`] counts what parsed.
//! - [`dedup`]: reposts of one vacancy (same normalised employer, title and
//!   city within a date window) flagged with their first posting, by
//!   [`dedup_key`] and a sort-and-sweep ([`find_duplicates`]) at 24 bytes per
//!   posting.
//! - [`date`]: calendar arithmetic on Arrow `Date32` values.
//!
//! ```
//! use zhiye_postings::{DedupRow, dedup_key, find_duplicates};
//!
//! let key = |company, title| dedup_key(company, title, "上海").unwrap();
//! let mut rows = vec![
//!     DedupRow { key: key("上海某某科技有限公司", "会计"), date: Some(0), row: 0 },
//!     DedupRow { key: key("某某科技（上海）有限公司", "【急招】会计"), date: Some(10), row: 1 },
//!     DedupRow { key: key("上海某某科技有限公司", "出纳"), date: Some(10), row: 2 },
//! ];
//! // Row 1 reposts row 0 within a 30-day window; row 2 is another vacancy.
//! assert_eq!(find_duplicates(&mut rows, 30), vec![(1, 0)]);
//! ```

mod coder;
pub mod dedup;
mod fields;

pub use coder::{INPUT_COLUMNS, OPTIONAL_COLUMNS, PostingCoder, REQUIRED_COLUMNS};
pub use dedup::{
    DedupRow, DedupStats, dedup_key, dedup_key_with, find_duplicates, normalize_city, normalize_company,
    normalize_title,
};
pub use fields::{ParseRate, ParseRates, ParsedField, parse_field, parse_rates};
