//! `zhiye aggregate`: the published tables again from the classified postings of the last run.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration of the run; without it, the embedded default.
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let config = super::run::load_config(args.config.as_deref())?;
    let start = Instant::now();
    let outputs = zhiye_pipeline::run::aggregate_only(&config)?;
    for p in &outputs {
        println!("wrote {}", p.display());
    }
    println!("aggregated in {:.2} s", start.elapsed().as_secs_f64());
    Ok(())
}
