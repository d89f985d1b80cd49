//! `zhiye learn`: the boards' description vocabulary per occupation, learned
//! from a corpus of canonical postings, written as a description model (TSV).

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_pipeline::learn::learn;
use zhiye_text::LearnOptions;

use super::log::Global;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of canonical Parquet postings (`zhiye import` or the corpus of `zhiye run`).
    #[arg(long)]
    input: PathBuf,
    /// Write the model here.
    #[arg(long)]
    out: PathBuf,
    /// Gold files whose `posting_id`s are left out, so the model can be evaluated on them.
    #[arg(long, num_args = 1..)]
    exclude: Vec<PathBuf>,
    /// Titles must be decided at least this confidently.
    #[arg(long, default_value_t = LearnOptions::default().min_score)]
    min_score: f32,
    /// Occupations with fewer example postings get no vocabulary.
    #[arg(long, default_value_t = LearnOptions::default().min_postings)]
    min_postings: u32,
    /// Bigrams kept per occupation.
    #[arg(long, default_value_t = LearnOptions::default().max_terms)]
    max_terms: usize,
    #[command(flatten)]
    files: super::ClassifierFiles,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let mut exclude = HashSet::new();
    for path in &args.exclude {
        let mut rdr = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
        let col = rdr
            .headers()?
            .iter()
            .position(|h| h == "posting_id")
            .with_context(|| format!("{}: no posting_id column", path.display()))?;
        for rec in rdr.records() {
            exclude.insert(rec?.get(col).unwrap_or_default().to_string());
        }
    }
    let (_, classifier) = args.files.build(g)?;
    let o = LearnOptions {
        min_score: args.min_score,
        min_postings: args.min_postings,
        max_terms: args.max_terms,
        ..LearnOptions::default()
    };
    let (counts, report) = learn(&classifier, &args.input, &exclude, &o)?;
    let model = counts.model(&o);
    let header = format!(
        "zhiye description model, written by `zhiye learn` from {}: {} postings read, {} excluded, {} examples\n\
         (titles decided by a rule, name or alias at fine level, score >= {}); {} occupations with >= {} examples;\n\
         at most {} bigrams each, min df {}. Columns: bigram, code, weight.",
        args.input.display(),
        report.postings,
        report.excluded,
        report.examples,
        o.min_score,
        model.occupations(),
        o.min_postings,
        o.max_terms,
        o.min_df
    );
    std::fs::write(&args.out, model.to_tsv(&header)).with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("{header}");
    Ok(())
}
