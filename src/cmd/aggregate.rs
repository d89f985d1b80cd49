//! `zhiye aggregate`: the published tables again from classified postings —
//! the last run's, or any folder of them (a Spark job's output), with the run
//! summary `zhiye report --tables` needs.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of classified postings to aggregate instead of the last run's
    /// (Parquet with the columns `zhiye run` writes, e.g. `scripts/spark/zhiye_spark.py`'s output).
    #[arg(long, requires = "out")]
    classified: Option<PathBuf>,
    /// Where to write the tables of `--classified` (`<table>.parquet` and `.csv`)
    /// and their `run_summary.json`, counted from the classified postings.
    #[arg(long, requires = "classified")]
    out: Option<PathBuf>,
    /// Parse rates of the raw posting fields for that summary (JSON, as the
    /// Spark job writes them to `parse_rates.json`); the classified postings
    /// hold the parsed fields only.
    #[arg(long, requires = "classified")]
    parse_rates: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

/// What `zhiye aggregate` wrote, as JSON and CSV print it.
#[derive(serde::Serialize)]
struct Aggregated {
    written: Vec<PathBuf>,
    seconds: f64,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let config = g.config()?;
    let start = Instant::now();
    let outputs = match (&args.classified, &args.out) {
        (Some(classified), Some(out)) => {
            let rates = match &args.parse_rates {
                Some(p) => {
                    let text = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
                    Some(serde_json::from_slice(&text).with_context(|| format!("{}: not parse rates", p.display()))?)
                }
                None => None,
            };
            let mut outputs = zhiye_pipeline::run::aggregate_into(&config, classified, out)?;
            zhiye_pipeline::run::summarize_classified(&config, classified, out, rates)?;
            outputs.push(out.join(zhiye_pipeline::run::SUMMARY_FILE));
            outputs
        }
        _ => zhiye_pipeline::run::aggregate_only(&config)?,
    };
    let done = Aggregated { written: outputs, seconds: start.elapsed().as_secs_f64() };
    emit(args.format.format, &done, |out| {
        for p in &done.written {
            writeln!(out, "wrote {}", p.display())?;
        }
        writeln!(out, "aggregated in {:.2} s", done.seconds)
    })
}
