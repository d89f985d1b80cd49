//! [`LabelConfig`]: the options of `zhiye label`, declared once with their
//! documentation and defaults (`config/label.toml` is the documented example).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{LabelError, Result};

/// The whole configuration of a labelling run. Every field but `models` has a
/// default.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LabelConfig {
    /// Folder with `csco22.csv` (the occupations' names, definitions and tasks).
    pub taxonomy_dir: PathBuf,
    /// The prompt template (`config/prompts/exposure_e0e3.v1.toml`).
    pub template: PathBuf,
    /// Runs per occupation and model (the seed study: 8).
    pub runs: u32,
    /// Only the first `limit` fine occupations in taxonomy order (0: all 1,636):
    /// for trying a model or a prompt before paying for everything.
    pub limit: usize,
    /// Only these fine occupations (empty: all).
    pub codes: Vec<String>,
    /// Folder of the resumable label cache (Parquet parts).
    pub cache_dir: PathBuf,
    /// The labels file `zhiye exposure score` reads: CSV, or Parquet by extension.
    pub output: PathBuf,
    /// Requests in flight at once, over all models.
    pub concurrency: usize,
    /// Seconds a request may take, reply included.
    pub timeout_seconds: f64,
    /// Attempts per label before it is recorded as `invalid`: failed requests
    /// (429, 5xx, timeouts, malformed JSON) and replies without exactly one label
    /// both count.
    pub max_attempts: u32,
    /// First retry delay in milliseconds; doubles each attempt (with jitter) up
    /// to `backoff_max_ms`. A `Retry-After` header is honoured when longer.
    pub backoff_ms: u64,
    /// Longest retry delay in milliseconds.
    pub backoff_max_ms: u64,
    /// Labels kept in memory before they are written to the cache: at most this
    /// many answered requests are asked again after a kill.
    pub flush_every: usize,
    /// The models, each labelling every occupation `runs` times.
    pub models: Vec<ModelConfig>,
}

impl Default for LabelConfig {
    fn default() -> Self {
        LabelConfig {
            taxonomy_dir: "data/ocd2022".into(),
            template: "config/prompts/exposure_e0e3.v1.toml".into(),
            runs: 8,
            limit: 0,
            codes: Vec::new(),
            cache_dir: "data/exposure/label-cache".into(),
            output: "data/exposure/labels.csv".into(),
            concurrency: 8,
            timeout_seconds: 60.0,
            max_attempts: 5,
            backoff_ms: 1000,
            backoff_max_ms: 60_000,
            flush_every: 50,
            models: Vec::new(),
        }
    }
}

/// `[[models]]`: one OpenAI-compatible chat-completions endpoint and model.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// The model's name in the labels (`model` column), e.g. `gpt-4o`.
    pub name: String,
    /// Base URL; `/chat/completions` is appended (`https://api.openai.com/v1`,
    /// `http://127.0.0.1:8000/v1` for vLLM, `http://127.0.0.1:11434/v1` for Ollama).
    pub base_url: String,
    /// The model id the endpoint expects.
    pub model: String,
    /// Environment variable holding the API key (sent as a bearer token); none
    /// for local servers.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Sampling temperature: runs differ only by sampling, so above 0.
    #[serde(default = "default_temperature")]
    pub temperature: f64,
    /// Longest reply in tokens: the rubric asks for the label alone.
    #[serde(default = "default_max_tokens")]
    pub max_tokens: u32,
    /// Requests started per minute for this model (0: no limit).
    #[serde(default)]
    pub requests_per_minute: u32,
    /// Price per million prompt tokens, for the cost summary (0: not priced).
    #[serde(default)]
    pub price_input_per_mtok: f64,
    /// Price per million completion tokens.
    #[serde(default)]
    pub price_output_per_mtok: f64,
}

fn default_temperature() -> f64 {
    1.0
}

fn default_max_tokens() -> u32 {
    16
}

impl LabelConfig {
    /// Reads and checks a TOML file.
    pub fn from_path(path: &Path) -> Result<LabelConfig> {
        let text = std::fs::read_to_string(path).map_err(LabelError::io(path))?;
        let config: LabelConfig =
            toml::from_str(&text).map_err(|source| LabelError::Toml { path: path.into(), source })?;
        config.check().map_err(|message| LabelError::Config { path: path.into(), message })?;
        Ok(config)
    }

    fn check(&self) -> std::result::Result<(), String> {
        if self.models.is_empty() {
            return Err("no [[models]]: name at least one endpoint".into());
        }
        let mut names: Vec<&str> = self.models.iter().map(|m| m.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("two models named {:?}", w[0]));
        }
        if self.models.iter().any(|m| m.name.trim().is_empty()) {
            return Err("a model has an empty name".into());
        }
        if self.runs == 0 || self.concurrency == 0 || self.max_attempts == 0 || self.flush_every == 0 {
            return Err("runs, concurrency, max_attempts and flush_every must be at least 1".into());
        }
        if self.timeout_seconds.is_nan() || self.timeout_seconds <= 0.0 {
            return Err("timeout_seconds must be positive".into());
        }
        Ok(())
    }
}
