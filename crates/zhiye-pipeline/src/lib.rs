//! The zhiye batch pipeline.
//!
//! - [`eval`]: accuracy of the classifier against a gold file.
pub mod eval;
mod error;

pub use error::{PipelineError, Result};
