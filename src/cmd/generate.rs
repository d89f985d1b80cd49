//! `zhiye generate`: the synthetic corpus.

use std::path::PathBuf;

use anyhow::Result;
use zhiye_core::Taxonomy;
use zhiye_synth::{GeneratorOptions, TitleStyle, generate_to_dir};

use super::log::Global;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of postings.
    #[arg(long, default_value_t = 200_000)]
    postings: u64,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output folder (month=YYYY-MM/part-0.parquet partitions).
    #[arg(long)]
    out: PathBuf,
    /// How titles look: `taxonomy` (names and aliases, half decorated) or
    /// `boards` (as messy and repetitive as the real boards', measured).
    #[arg(long, default_value = "taxonomy")]
    titles: TitleStyle,
    /// Worker threads; 0 = one per core.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Folder holding csco22.csv [default: the configuration's, taxonomy.dir]
    #[arg(long)]
    taxonomy: Option<PathBuf>,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    crate::cmd::init_threads(args.threads)?;
    let dir = args.taxonomy.map_or_else(|| g.config().map(|c| c.taxonomy.dir), Ok)?;
    let tax = Taxonomy::from_path(dir.join("csco22.csv"))?;
    let opts = GeneratorOptions::default().postings(args.postings).seed(args.seed).titles(args.titles);
    let s = generate_to_dir(&tax, opts, &args.out)?;
    println!(
        "generated {} SYNTHETIC postings in {} files under {} in {:.2} s ({:.0} postings/s on {} threads)",
        s.rows,
        s.files,
        args.out.display(),
        s.seconds,
        s.rows as f64 / s.seconds.max(1e-9),
        rayon::current_num_threads()
    );
    Ok(())
}
