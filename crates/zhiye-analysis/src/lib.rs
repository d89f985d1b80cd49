//! LLM exposure of OCD 2022 occupations and the analyses built on it, after
//! Chen et al. (2025), "Large language models at work in China's labor
//! market", who apply the rubric of Eloundou et al. (2023).
//!
//! - [`exposure`]: [`LabelSet`](exposure::LabelSet) reads E0–E3 labels (CSV
//!   or Parquet) per occupation, model and run;
//!   [`ExposureScores`](exposure::ExposureScores) scores occupations
//!   (E0 = 0, E1 = 1, E2 = E3 = 0.5, mean over runs, then over models) and
//!   rolls them up by the mean of children; [`Table1`](exposure::Table1)
//!   summarises and correlates the models;
//!   [`ExternalTable`](exposure::ExternalTable) compares other exposure
//!   measures and expert scores with the LLM scores.
//! - [`analyses`]: exposure against outcomes ([`relate`](analyses::relate)),
//!   industry, demographic and task-group exposure.
//! - [`stats`]: means, quantiles, Pearson and Spearman correlations with
//!   Student-t p-values, weighted least squares, significance stars.
//! - [`Table`]: plain tables of [`Cell`]s for CSV files and HTML reports.
//!
//! Input formats are documented in `config/exposure/README.md`, with example files.
//!
//! ```
//! use std::path::Path;
//! use zhiye_analysis::exposure::{ExposureOptions, ExposureScores, LabelSet};
//! use zhiye_core::{Level, OcdCode, Taxonomy};
//!
//! let taxonomy = Taxonomy::from_reader(
//!     "level,code,name,definition,tasks,alias\n\
//!      1,2-00-00-00,专业技术人员,,,\n2,2-02-00-00,工程技术人员,,,\n\
//!      3,2-02-01-00,地质勘探工程技术人员,,,\n4,2-02-01-01,地质勘探工程技术人员,,,\n"
//!         .as_bytes(),
//!     Path::new("taxonomy.csv"),
//! )?;
//! let labels = "code,model,run,label\n\
//!               2-02-01-01,a,1,E1\n2-02-01-01,a,2,E2\n2-02-01-01,a,3,E0\n\
//!               2-02-01-01,b,1,E3\n2-02-01-01,b,2,E3\n2-02-01-01,b,3,invalid\n";
//! let labels = LabelSet::from_csv_reader(labels.as_bytes(), Path::new("labels.csv"), &taxonomy)?;
//! let scores = ExposureScores::compute(&labels, &ExposureOptions::default());
//! // Model a: (1 + 0.5 + 0) / 3 = 0.5; model b: 0.5; the overall score is their mean.
//! let medium: OcdCode = "2-02".parse()?;
//! assert_eq!(scores.score(Level::Medium, medium), Some(0.5));
//! assert_eq!(scores.invalid_labels(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analyses;
mod error;
pub mod exposure;
mod input;
mod serialize;
pub mod stats;
mod table;

pub use error::{Error, Result};
pub use table::{Cell, Table};
