//! The options every command takes (`--config`, `-v`/`-q`, `--log-format`),
//! and what a command tells its operator while it runs: a progress bar on a
//! terminal, structured logs (text or JSON lines, on stderr) otherwise.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zhiye_core::Config;
use zhiye_pipeline::run::Progress;

/// The embedded default configuration (`config/default.toml`).
pub const DEFAULT_CONFIG: &str = include_str!("../../config/default.toml");

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for journald, Loki, Elasticsearch…).
    Json,
}

/// Options of every command.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// Configuration file: taxonomy, rules, classifier, input and output folders, aggregation
    /// [default: the embedded config/default.toml]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log more: -v each row group (debug), -vv everything (trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Log errors only, and show no progress bar
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Log format on stderr [default: a progress bar on a terminal, text lines otherwise]
    #[arg(long, value_enum, global = true)]
    log_format: Option<LogFormat>,
}

/// What a command reports while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A batch job (`run`, `import`, `index` …): its stages are logged, or shown as a bar.
    Batch,
    /// A command that answers at once: only problems are logged.
    Interactive,
}

impl Global {
    /// The configuration `--config` names, or the embedded default.
    pub fn config(&self) -> Result<Config> {
        load_config(self.config.as_deref())
    }

    /// Installs the logger and returns what shows progress: a bar for a batch
    /// job when stderr is a terminal and no log format was asked for, else
    /// nothing (the logs carry the stages).
    pub fn init_logging(&self, kind: Kind) -> Bar {
        let bar = kind == Kind::Batch && !self.quiet && self.log_format.is_none() && std::io::stderr().is_terminal();
        let level = match (self.quiet, self.verbose) {
            (true, _) => tracing::Level::ERROR,
            (_, 1) => tracing::Level::DEBUG,
            (_, 2..) => tracing::Level::TRACE,
            // On a terminal the bar shows the stages; only problems are logged.
            _ if bar || kind == Kind::Interactive => tracing::Level::WARN,
            _ => tracing::Level::INFO,
        };
        let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level);
        // A second init (tests calling twice) keeps the first logger.
        let _ = match self.log_format.unwrap_or(LogFormat::Text) {
            LogFormat::Json => builder.json().flatten_event(true).try_init(),
            LogFormat::Text => builder.with_ansi(bar).try_init(),
        };
        Bar(bar.then(|| ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())))
    }
}

/// Loads `path`, or the embedded default.
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    Ok(match path {
        Some(p) => Config::from_path(p)?,
        None => Config::from_toml(DEFAULT_CONFIG, Path::new("<embedded config/default.toml>"))?,
    })
}

/// The one progress display of the binary: a bar per stage on stderr, or
/// nothing. It serves the pipeline's stages and the labelling run alike.
#[derive(Debug)]
pub struct Bar(Option<ProgressBar>);

impl Bar {
    fn start(&self, name: &str, total: u64) {
        let Some(bar) = &self.0 else { return };
        let template = if total > 0 {
            "{prefix:>10} [{elapsed_precise}] {bar:40} {human_pos}/{human_len} ({per_sec}, eta {eta})"
        } else {
            "{prefix:>10} [{elapsed_precise}] {spinner}"
        };
        bar.reset();
        bar.set_style(ProgressStyle::with_template(template).expect("a valid template"));
        bar.set_length(total);
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }

    fn inc(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.start(name, total);
    }

    fn advance(&self, n: u64) {
        self.inc(n);
    }
}

impl zhiye_label::Progress for Bar {
    fn start(&self, total: u64) {
        Bar::start(self, "labels", total);
    }

    fn advance(&self) {
        self.inc(1);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
