//! What a batch command tells its operator while it runs: a progress bar on a
//! terminal, structured logs (text or JSON lines, on stderr) otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zhiye_pipeline::run::Progress;

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for journald, Loki, Elasticsearch…).
    Json,
}

/// The logging flags of the batch commands.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// Log format on stderr. Without it: a progress bar on a terminal, text logs otherwise.
    #[arg(long, value_enum)]
    log_format: Option<LogFormat>,
    /// Log each row group too (debug level).
    #[arg(long)]
    verbose: bool,
}

impl LogArgs {
    /// Installs the logger and returns what shows progress: a bar when stderr
    /// is a terminal and no log format was asked for, else nothing (the logs
    /// carry the stages).
    pub fn init(&self) -> Box<dyn Progress> {
        let bar = self.log_format.is_none() && std::io::stderr().is_terminal();
        let level = if self.verbose {
            tracing::Level::DEBUG
        } else if bar {
            // On a terminal the bar shows the stages; only problems are logged.
            tracing::Level::WARN
        } else {
            tracing::Level::INFO
        };
        let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level);
        // A second init (tests calling twice) keeps the first logger.
        let _ = match self.log_format.unwrap_or(LogFormat::Text) {
            LogFormat::Json => builder.json().flatten_event(true).try_init(),
            LogFormat::Text => builder.with_ansi(bar).try_init(),
        };
        if bar { Box::new(Bar::new()) } else { Box::new(zhiye_pipeline::run::Silent) }
    }
}

/// A progress bar per stage.
struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        Bar { bar }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        let template = if total > 0 {
            "{prefix:>10} [{elapsed_precise}] {bar:40} {human_pos}/{human_len} postings ({per_sec}, eta {eta})"
        } else {
            "{prefix:>10} [{elapsed_precise}] {spinner}"
        };
        let style = ProgressStyle::with_template(template).expect("a valid template");
        self.bar.reset();
        self.bar.set_style(style);
        self.bar.set_length(total);
        self.bar.set_prefix(name.to_string());
        self.bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
