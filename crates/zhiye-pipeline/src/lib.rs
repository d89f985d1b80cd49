//! The zhiye batch pipeline: the stages wired together.
//!
//! - [`run`]: read posting partitions (generating the synthetic corpus first
//!   if there is none), classify them in parallel by row group, aggregate
//!   postings and vacancies per occupation × year, write `out/`.
//! - [`study`]: exposure and analyses over the published tables, and the report.
//! - [`eval`]: accuracy of the classifier against a gold file; [`fit`] the
//!   evidence fusion on gold rows; [`learn`] the boards' description vocabulary.
//!
//! The benchmark harness that measures these stages is the `zhiye-bench` crate.
//!
//! ```no_run
//! let config = zhiye_core::Config::default();
//! let summary = zhiye_pipeline::run::run(&config)?;
//! println!("{} postings, {} unclassified", summary.rows_in, summary.unclassified);
//! # Ok::<(), zhiye_pipeline::PipelineError>(())
//! ```

mod error;
pub mod eval;
pub mod fit;
pub mod learn;
pub mod run;
pub mod study;

pub use error::{PipelineError, Result};
