//! E0–E3 LLM-exposure labels of OCD 2022 occupations (Eloundou et al. 2023,
//! at the occupation level as in Chen et al. 2025), from any OpenAI-compatible
//! chat-completions endpoint: hosted APIs, vLLM, llama.cpp, Ollama.
//!
//! - [`LabelConfig`]: models (base URL, model id, API-key variable,
//!   temperature, rate limit, prices), runs, concurrency, timeouts, retries.
//! - [`Template`]: the versioned rubric prompt (`config/prompts/`), rendered
//!   per occupation from its name, definition and tasks; its hash keys the
//!   cache, so a changed prompt is asked again.
//! - [`parse_label`]: a reply must name exactly one of E0–E3; anything else is
//!   retried, then recorded as `invalid` with the raw reply — never guessed.
//! - [`LabelCache`]: answered requests as atomic Parquet parts; a killed run
//!   resumes where it stopped.
//! - [`label`]: runs it all and writes the labels file `zhiye exposure score`
//!   reads; [`Summary`] has the counts, retries by cause, tokens and cost.
//!
//! ```
//! use zhiye_label::{Label, parse_label};
//!
//! assert_eq!(parse_label("E2"), Ok(Label::E2));
//! assert!(parse_label("E1 或 E2").is_err()); // two labels: retried, then `invalid`
//! ```

mod cache;
mod client;
mod config;
mod error;
mod prompt;
mod reply;
mod run;

pub use cache::{INVALID, Key, LabelCache, LabelRow};
pub use client::Cause;
pub use config::{LabelConfig, ModelConfig};
pub use error::{LabelError, Result};
pub use prompt::{Prompt, Template};
pub use reply::{Label, parse_label};
pub use run::{ModelUsage, Progress, Quiet, Summary, cached_labels, label};
