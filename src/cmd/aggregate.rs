//! `zhiye aggregate`: the published tables again from classified postings —
//! the last run's, or any folder of them (a Spark job's output).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration of the run; without it, the embedded default.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Folder of classified postings to aggregate instead of the last run's
    /// (Parquet with the columns `zhiye run` writes, e.g. `scripts/spark/zhiye_spark.py`'s output).
    #[arg(long, requires = "out")]
    classified: Option<PathBuf>,
    /// Where to write the tables of `--classified` (`<table>.parquet` and `.csv`).
    #[arg(long, requires = "classified")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let config = super::run::load_config(args.config.as_deref())?;
    let start = Instant::now();
    let outputs = match (&args.classified, &args.out) {
        (Some(classified), Some(out)) => zhiye_pipeline::run::aggregate_into(&config, classified, out)?,
        _ => zhiye_pipeline::run::aggregate_only(&config)?,
    };
    for p in &outputs {
        println!("wrote {}", p.display());
    }
    println!("aggregated in {:.2} s", start.elapsed().as_secs_f64());
    Ok(())
}
