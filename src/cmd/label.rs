//! `zhiye label`: E0–E3 exposure labels of the fine occupations from
//! OpenAI-compatible endpoints (`config/label.toml`), resumable, into the
//! labels file `zhiye exposure score` reads.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zhiye_label::{LabelConfig, Progress, Quiet};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The labelling configuration (models, runs, concurrency, retries).
    #[arg(long, default_value = "config/label.toml")]
    config: PathBuf,
    /// Only the first N fine occupations (overrides `limit`): a trial before paying for all 1,636.
    #[arg(long)]
    limit: Option<usize>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// A progress bar on stderr.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
    }

    fn advance(&self) {
        self.0.inc(1);
    }
}

pub fn run(args: Args) -> Result<()> {
    let mut config = LabelConfig::from_path(&args.config)?;
    if let Some(n) = args.limit {
        config.limit = n;
    }
    let summary = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} labels {pos}/{len} [{bar:30}] {per_sec} eta {eta}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        let bar = Bar(bar);
        let s = zhiye_label::label(&config, &bar);
        bar.0.finish_and_clear();
        s
    } else {
        zhiye_label::label(&config, &Quiet)
    }
    .context("labelling failed")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    println!(
        "{} occupations × {} model(s) × {} runs = {} labels: {} cached, {} asked ({} labelled, {} invalid, {} failed)",
        summary.occupations,
        config.models.len(),
        config.runs,
        summary.wanted,
        summary.cached,
        summary.asked,
        summary.labelled,
        summary.invalid,
        summary.failed
    );
    let retries: Vec<String> = summary.retries.iter().map(|(c, n)| format!("{c:?} {n}")).collect();
    println!(
        "{} requests; retries: {}",
        summary.requests,
        if retries.is_empty() { "none".into() } else { retries.join(", ") }
    );
    for m in &summary.models {
        println!(
            "  {}: {} requests, {} prompt + {} completion tokens, cost {:.4}",
            m.model, m.requests, m.prompt_tokens, m.completion_tokens, m.cost
        );
    }
    println!("wrote {} labels to {} in {:.1} s", summary.written, summary.output, summary.seconds);
    for why in &summary.failures {
        eprintln!("  failed: {why}");
    }
    if summary.failed > 0 {
        anyhow::bail!("{} labels failed (the endpoint never answered); run again to retry them", summary.failed);
    }
    Ok(())
}
