//! The paper's exposure scores: reading E0–E3 labels, scoring occupations and
//! rolling scores up the OCD tree, Table 1, and comparisons with external and
//! expert scores.
//!
//! - [`LabelSet`] reads a label file (CSV or Parquet) and checks it against
//!   the [`zhiye_core::Taxonomy`].
//! - [`ExposureScores::compute`] applies the scoring rule (see its docs) with
//!   [`ExposureOptions`] (by default large classes 1, 7 and 8 are excluded).
//! - [`Table1`] summarises the scores by model and correlates the models.
//! - [`ExternalTable`] holds scores from elsewhere at any level;
//!   [`ExternalTable::compare`] and [`Comparison::new`] correlate them with
//!   the LLM scores.

mod external;
mod labels;
mod scores;
mod table1;

pub use external::{ColumnNames, Comparison, ComparisonPoint, ExternalComparison, ExternalTable};
pub use labels::{INVALID_LABEL, Label, LabelRecord, LabelSet};
pub use scores::{DEFAULT_EXCLUDED_LARGE, ExposureOptions, ExposureScores, Score, roll_up};
pub use table1::{AVERAGE, SeriesCorrelation, SeriesSummary, Table1, Table1Panel};
