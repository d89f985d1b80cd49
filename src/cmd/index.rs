//! `zhiye index`: a full-text index of the corpus (tantivy, jieba words),
//! incremental by partition.

use std::path::PathBuf;

use anyhow::Result;
use zhiye_search::{IndexOptions, build_index};

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of posting Parquet (canonical schema), e.g. data/corpus or an import's postings/.
    #[arg(long)]
    input: PathBuf,
    /// The index folder (created; an existing index is updated: new or changed partitions only).
    #[arg(long)]
    out: PathBuf,
    /// Indexing memory budget in MB.
    #[arg(long, default_value_t = 256)]
    memory_mb: usize,
    #[command(flatten)]
    format: FormatArg,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let config = g.config()?;
    super::init_threads(config.classify.threads)?;
    let (_, classifier) = zhiye_pipeline::run::build_classifier(&config)?;
    // Codes follow the configuration as `zhiye run`'s do: a changed taxonomy, rules file, option or binary re-indexes all.
    let fingerprint = zhiye_pipeline::run::Fingerprint::of(&config)?.digest();
    let options =
        IndexOptions { memory_mb: args.memory_mb, ai_keywords: config.aggregate.ai_keywords.clone(), fingerprint };
    let s = build_index(&args.input, &args.out, &classifier, &options)?;
    emit(args.format.format, &s, |out| {
        if s.fingerprint_changed {
            writeln!(
                out,
                "the classification changed since the last build (taxonomy, rules, options or binary): all indexed again"
            )?;
        }
        writeln!(
            out,
            "indexed {} partition(s) ({} postings), {} unchanged, {} removed; {} documents, {:.1} MB, {:.1} s ({:.0} postings/s)",
            s.indexed,
            s.postings,
            s.unchanged,
            s.removed,
            s.documents,
            s.bytes as f64 / 1e6,
            s.seconds,
            s.postings as f64 / s.seconds.max(1e-9)
        )?;
        Ok(())
    })
}
