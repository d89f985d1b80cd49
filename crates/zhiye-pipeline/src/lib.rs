//! The zhiye batch pipeline: the stages wired together.
//!
//! - [`run`]: read posting partitions (generating the synthetic corpus first
//!   if there is none), classify them in parallel by row group, aggregate
//!   postings and vacancies per occupation × year, write `out/`.
//! - [`eval`]: accuracy of the classifier against a gold file.
//! - [`bench`]: throughput and memory of every stage, and the comparisons
//!   with DuckDB and the Python peer.
//!
//! ```no_run
//! let config = zhiye_core::Config::default();
//! let summary = zhiye_pipeline::run::run(&config)?;
//! println!("{} postings, {} unclassified", summary.rows_in, summary.unclassified);
//! # Ok::<(), zhiye_pipeline::PipelineError>(())
//! ```

pub mod bench;
mod error;
pub mod eval;
pub mod fit;
pub mod learn;
pub mod run;
pub mod study;

pub use error::{PipelineError, Result};
