//! `zhiye run`: the main job.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zhiye_core::Config;

/// The embedded default configuration (`config/default.toml`).
pub const DEFAULT_CONFIG: &str = include_str!("../../config/default.toml");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration file; without it, the embedded default (config/default.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Loads `path`, or the embedded default.
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    Ok(match path {
        Some(p) => Config::from_path(p)?,
        None => Config::from_toml(DEFAULT_CONFIG, Path::new("<embedded config/default.toml>"))?,
    })
}

pub fn run(args: Args) -> Result<()> {
    let config = load_config(args.config.as_deref())?;
    crate::cmd::init_threads(config.classify.threads)?;
    let s = zhiye_pipeline::run::run(&config).context("run failed")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    if let Some(n) = s.generated {
        println!("generated {n} SYNTHETIC postings into {} in {:.1} s", s.corpus.display(), s.generate_seconds);
    }
    println!(
        "read {} postings from {} files; classified {} ({} unclassified) in {:.2} s ({:.0} postings/s)",
        s.rows_in,
        s.input_files,
        s.classified,
        s.unclassified,
        s.classify_seconds,
        s.rows_in as f64 / s.classify_seconds.max(1e-9)
    );
    println!(
        "ledger: {} rows in the input files = {} classified + {} unclassified; all written",
        s.rows_in, s.classified, s.unclassified
    );
    if let Some(r) = &s.reposts {
        println!(
            "reposts: {} of {} postings ({:.2}%) repost a vacancy within the window; counted once in vacancies ({:.2} s)",
            r.duplicates,
            r.rows,
            r.rate * 100.0,
            s.dedup_seconds
        );
    }
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    };
    let rates: Vec<String> =
        s.parse_rates.fields.iter().map(|(k, r)| format!("{k} {:.1}% of {}", r.rate() * 100.0, r.non_empty)).collect();
    println!("parsed: {}", rates.join(", "));
    println!(
        "AI-skill mentions: {} postings ({:.2}%)",
        s.parse_rates.ai_mentions,
        s.parse_rates.ai_mentions as f64 * 100.0 / s.rows_in.max(1) as f64
    );
    println!("aggregated at four levels in {:.2} s", s.aggregate_seconds);
    println!("methods: {}", list(&s.methods));
    println!("trusted levels: {}", list(&s.levels));
    println!("rules applied: {}", if s.rules_applied.is_empty() { "none".into() } else { list(&s.rules_applied) });
    if let Some(a) = s.true_code_agreement {
        println!("agreement with the corpus's true_code: {:.1}%", a * 100.0);
    }
    let tables: Vec<_> = s.outputs.iter().filter(|p| !p.starts_with(config.output.dir.join("classified"))).collect();
    println!(
        "wrote {} classified partitions under {}",
        s.outputs.len() - tables.len(),
        config.output.dir.join("classified").display()
    );
    for p in tables {
        println!("wrote {}", p.display());
    }
    Ok(())
}
