//! `zhiye label`: E0–E3 exposure labels of the fine occupations from
//! OpenAI-compatible endpoints (`config/label.toml`), resumable, into the
//! labels file `zhiye exposure score` reads.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_label::{LabelConfig, Summary};

use super::log::Bar;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The labelling configuration (models, runs, concurrency, retries).
    #[arg(long, default_value = "config/label.toml")]
    label_config: PathBuf,
    /// Only the first N fine occupations (overrides `limit`): a trial before paying for all 1,636.
    #[arg(long)]
    limit: Option<usize>,
    #[command(flatten)]
    format: FormatArg,
}

pub fn run(args: Args, progress: Bar) -> Result<()> {
    let mut config = LabelConfig::from_path(&args.label_config)?;
    if let Some(n) = args.limit {
        config.limit = n;
    }
    let summary = zhiye_label::label(&config, &progress).context("labelling failed")?;
    drop(progress);
    emit(args.format.format, &summary, |out| print_summary(out, &config, &summary))?;
    for why in &summary.failures {
        eprintln!("  failed: {why}");
    }
    if summary.failed > 0 {
        anyhow::bail!("{} labels failed (the endpoint never answered); run again to retry them", summary.failed);
    }
    Ok(())
}

fn print_summary(out: &mut dyn Write, config: &LabelConfig, summary: &Summary) -> std::io::Result<()> {
    writeln!(
        out,
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
    )?;
    let retries: Vec<String> = summary.retries.iter().map(|(c, n)| format!("{c:?} {n}")).collect();
    writeln!(
        out,
        "{} requests; retries: {}",
        summary.requests,
        if retries.is_empty() { "none".into() } else { retries.join(", ") }
    )?;
    for m in &summary.models {
        writeln!(
            out,
            "  {}: {} requests, {} prompt + {} completion tokens, cost {:.4}",
            m.model, m.requests, m.prompt_tokens, m.completion_tokens, m.cost
        )?;
    }
    writeln!(out, "wrote {} labels to {} in {:.1} s", summary.written, summary.output, summary.seconds)?;
    Ok(())
}
