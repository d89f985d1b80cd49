//! Aggregates of classified postings.
//!
//! - [`aggregate`]: the published tables (occupation × year / month /
//!   breakdown, share growth, experience premium, education mix, a pooled
//!   summary) at the four OCD levels, computed with Apache DataFusion; the
//!   queries are kept together in one module, `sql`, with their definitions.
//! - [`OccupationYear`]: postings, vacancies and vacancy shares per
//!   occupation × year, held as flat vectors indexed by occupation and merged
//!   across threads.
//!
//! Reposts are flagged (`dup_of`) before aggregation, by zhiye-postings.
//!
//! ```
//! use zhiye_agg::OccupationYear;
//!
//! let mut counts = OccupationYear::new(3);
//! counts.add(Some(1), Some(2020), 2, false);
//! counts.add(None, Some(2020), 1, false); // unclassified postings are kept
//! counts.add(Some(1), Some(2020), 2, true); // a repost: a posting, no vacancies
//! let rows: Vec<_> = counts.rows().collect();
//! assert_eq!(rows[0].vacancies, 2);
//! assert!((rows[0].vacancy_share - 2.0 / 3.0).abs() < 1e-12);
//! ```

mod error;
mod occupation_year;
mod sql;
mod tables;

pub use error::{AggError, Result};
pub use occupation_year::{OccupationYear, OccupationYearRow};
pub use sql::{Query, QueryRole, queries};
pub use tables::{AggregateOptions, CLASSIFIED_COLUMNS, Dimension, NamedTable, aggregate, levels_table};
