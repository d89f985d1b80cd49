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
    #[command(flatten)]
    log: super::log::LogArgs,
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
    let progress = args.log.init();
    let s = zhiye_pipeline::run::run_with(&config, &*progress).context("run failed")?;
    drop(progress);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print_summary(&config, &s);
    }
    if s.skipped_files.is_empty() {
        Ok(())
    } else {
        let version = config.output.dir.join("versions").join(&s.run_id);
        let files = s.skipped_files.iter().map(|f| f.path.clone()).collect();
        Err(zhiye_pipeline::PipelineError::SkippedInput { version, files }.into())
    }
}

fn print_summary(config: &Config, s: &zhiye_pipeline::run::RunSummary) {
    if let Some(n) = s.generated {
        println!("generated {n} SYNTHETIC postings into {} in {:.1} s", s.corpus.display(), s.generate_seconds);
    }
    let p = &s.partitions;
    println!(
        "partitions: {} ({} new, {} changed, {} unchanged, {} removed{})",
        p.total,
        p.new,
        p.changed,
        p.unchanged,
        p.removed,
        if p.fingerprint_changed { "; binary, taxonomy, rules or options changed: all classified again" } else { "" }
    );
    let g = &s.row_groups;
    println!(
        "row groups: {} classified ({} postings), {} reassembled, {} reused, in {:.2} s",
        g.classified, g.rows_classified, g.reassembled, g.reused, s.classify_seconds
    );
    println!(
        "read {} postings from {} files: {} classified, {} unclassified",
        s.rows_in, s.input_files, s.classified, s.unclassified
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
    let version = config.output.dir.join("versions").join(&s.run_id);
    println!(
        "published {} (now {}), {} outputs, in {:.1} s",
        version.display(),
        config.output.dir.join("current").display(),
        s.outputs.len(),
        s.total_seconds
    );
    for f in &s.skipped_files {
        println!("skipped unreadable input {}: {}", f.path, f.reason);
    }
}
