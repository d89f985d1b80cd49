//! `zhiye report`: the HTML report of the last run, redone from `out/`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_core::Taxonomy;

use super::log::Global;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of the report. Default: `<tables>/report` (rewritten in place).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Folder of the tables and run summary to report. Default: the last
    /// run's, `<output.dir>/current`; for a Spark job's output, the folder
    /// `zhiye aggregate --classified … --out` wrote.
    #[arg(long)]
    tables: Option<PathBuf>,
    /// Check the written report in headless Chromium and save a screenshot of each page beside it.
    #[arg(long)]
    check: bool,
}

/// Reports the run of the configuration (`--config`).
pub fn run(args: Args, g: &Global) -> Result<()> {
    let config = g.config()?;
    let out = &args.tables.unwrap_or_else(|| zhiye_pipeline::run::published(&config.output.dir));
    let summary = zhiye_pipeline::run::read_summary(out)?;
    let taxonomy = Taxonomy::from_path(config.taxonomy.dir.join("csco22.csv"))?;
    let study = zhiye_pipeline::study::run_study(&config, &taxonomy, out).context("analyses failed")?;
    let dir = args.out.unwrap_or_else(|| out.join("report"));
    let pages = zhiye_pipeline::study::write_report(&summary, study.as_ref(), out, &dir)?;
    for p in &pages {
        println!("wrote {}", p.display());
    }
    if args.check {
        for p in &pages {
            let shot = p.with_extension("png");
            let c = zhiye_report::browser::check(p, &shot)?;
            println!(
                "{}: {}/{} charts rendered; screenshot {}",
                p.display(),
                c.charts_ok,
                c.charts_total,
                shot.display()
            );
            anyhow::ensure!(c.all_ok(), "{}: charts failed to render: {:?}", p.display(), c.failed);
        }
    }
    Ok(())
}
