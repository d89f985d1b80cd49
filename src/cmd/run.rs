//! `zhiye run`: the main job.

use std::io::Write;

use anyhow::{Context, Result};
use zhiye_core::Config;

use super::log::{Bar, Global};
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    format: FormatArg,
}

pub fn run(args: Args, g: &Global, progress: Bar) -> Result<()> {
    let config = g.config()?;
    crate::cmd::init_threads(config.classify.threads)?;
    let s = zhiye_pipeline::run::run_with(&config, &progress).context("run failed")?;
    drop(progress);
    emit(args.format.format, &s, |out| print_summary(out, &config, &s))?;
    if s.skipped_files.is_empty() {
        Ok(())
    } else {
        let version = config.output.dir.join("versions").join(&s.run_id);
        let files = s.skipped_files.iter().map(|f| f.path.clone()).collect();
        Err(zhiye_pipeline::PipelineError::SkippedInput { version, files }.into())
    }
}

/// The run summary as text (also `zhiye runs show`).
pub fn print_summary(out: &mut dyn Write, config: &Config, s: &zhiye_pipeline::run::RunSummary) -> std::io::Result<()> {
    if let Some(n) = s.generated {
        writeln!(out, "generated {n} SYNTHETIC postings into {} in {:.1} s", s.corpus.display(), s.generate_seconds)?;
    }
    let p = &s.partitions;
    writeln!(
        out,
        "partitions: {} ({} new, {} changed, {} unchanged, {} removed{})",
        p.total,
        p.new,
        p.changed,
        p.unchanged,
        p.removed,
        if p.fingerprint_changed { "; binary, taxonomy, rules or options changed: all classified again" } else { "" }
    )?;
    let g = &s.row_groups;
    writeln!(
        out,
        "row groups: {} classified ({} postings), {} reassembled, {} reused, in {:.2} s",
        g.classified, g.rows_classified, g.reassembled, g.reused, s.classify_seconds
    )?;
    writeln!(
        out,
        "read {} postings from {} files: {} classified, {} unclassified",
        s.rows_in, s.input_files, s.classified, s.unclassified
    )?;
    writeln!(
        out,
        "ledger: {} rows in the input files = {} classified + {} unclassified; all written",
        s.rows_in, s.classified, s.unclassified
    )?;
    if let Some(r) = &s.reposts {
        writeln!(
            out,
            "reposts: {} of {} postings ({:.2}%) repost a vacancy within the window; counted once in vacancies ({:.2} s)",
            r.duplicates,
            r.rows,
            r.rate * 100.0,
            s.dedup_seconds
        )?;
    }
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    };
    let rates: Vec<String> =
        s.parse_rates.fields.iter().map(|(k, r)| format!("{k} {:.1}% of {}", r.rate() * 100.0, r.non_empty)).collect();
    writeln!(out, "parsed: {}", rates.join(", "))?;
    writeln!(
        out,
        "AI-skill mentions: {} postings ({:.2}%)",
        s.parse_rates.ai_mentions,
        s.parse_rates.ai_mentions as f64 * 100.0 / s.rows_in.max(1) as f64
    )?;
    writeln!(out, "aggregated at four levels in {:.2} s", s.aggregate_seconds)?;
    writeln!(out, "methods: {}", list(&s.methods))?;
    writeln!(out, "trusted levels: {}", list(&s.levels))?;
    writeln!(
        out,
        "rules applied: {}",
        if s.rules_applied.is_empty() { "none".into() } else { list(&s.rules_applied) }
    )?;
    if let Some(a) = s.true_code_agreement {
        writeln!(out, "agreement with the corpus's true_code: {:.1}%", a * 100.0)?;
    }
    let version = config.output.dir.join("versions").join(&s.run_id);
    writeln!(
        out,
        "published {} (now {}), {} outputs, in {:.1} s",
        version.display(),
        config.output.dir.join("current").display(),
        s.outputs.len(),
        s.total_seconds
    )?;
    for f in &s.skipped_files {
        writeln!(out, "skipped unreadable input {}: {}", f.path, f.reason)?;
    }
    Ok(())
}
