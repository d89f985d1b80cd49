//! `zhiye import`: job-board exports → canonical Parquet + quarantine.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use zhiye_ingest::import::{FieldRate, ImportOptions, ImportSummary, Mapping, OnError, import};

use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input files (CSV, XLSX and other workbooks, JSONL, Parquet), or folders of them.
    #[arg(long, required = true, num_args = 1..)]
    input: Vec<PathBuf>,
    /// Mapping of the source's columns (config/mappings/NAME.toml).
    #[arg(long)]
    mapping: PathBuf,
    /// Output folder: postings/<input>.parquet (the corpus) and quarantine.parquet.
    #[arg(long)]
    out: PathBuf,
    /// What to do with an input file that cannot be read: fail, or skip it and go on.
    #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
    on_error: OnErrorArg,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum OnErrorArg {
    Fail,
    Skip,
}

pub fn run(args: Args) -> Result<()> {
    let mapping = Mapping::from_path(&args.mapping)?;
    let on_error = match args.on_error {
        OnErrorArg::Fail => OnError::Fail,
        OnErrorArg::Skip => OnError::Skip,
    };
    let options = ImportOptions::default().on_error(on_error);
    let s = import(&args.input, &mapping, &args.out, &options).context("import failed")?;
    emit(args.format.format, &s, |out| print_summary(out, &s))?;
    if !s.balanced() {
        bail!("ledger does not balance: {} in ≠ {} out + {} quarantined", s.rows_in, s.rows_out, s.quarantined);
    }
    Ok(())
}

fn rate(r: &FieldRate) -> String {
    r.rate().map_or_else(|| "-".into(), |x| format!("{:.2}%", x * 100.0))
}

fn print_summary(out: &mut dyn std::io::Write, s: &ImportSummary) -> std::io::Result<()> {
    writeln!(
        out,
        "imported {} files in {:.2} s: {} rows in = {} out + {} quarantined",
        s.inputs.len(),
        s.seconds,
        s.rows_in,
        s.rows_out,
        s.quarantined
    )?;
    writeln!(
        out,
        "\n{:<24} {:>8} {:>8} {:>11}  {:>8} {:>10} {:>9} {:>9} {:>9}",
        "input", "rows in", "out", "quarantined", "salary", "experience", "education", "headcount", "date"
    )?;
    for i in &s.inputs {
        let name = i.path.file_name().map_or_else(|| i.path.display().to_string(), |n| n.to_string_lossy().into());
        let r = &i.rates;
        writeln!(
            out,
            "{:<24} {:>8} {:>8} {:>11}  {:>8} {:>10} {:>9} {:>9} {:>9}",
            name,
            i.rows_in,
            i.rows_out,
            i.quarantined,
            rate(&r.salary),
            rate(&r.experience),
            rate(&r.education),
            rate(&r.headcount),
            rate(&r.posted_at)
        )?;
    }
    for i in &s.inputs {
        writeln!(out, "\n{} [{}] → {}", i.path.display(), i.format, i.output.display())?;
        let balance = if i.balanced() { "balances" } else { "DOES NOT BALANCE" };
        writeln!(out, "  ledger: {} in = {} out + {} quarantined ({balance})", i.rows_in, i.rows_out, i.quarantined)?;
        if i.tables.len() > 1 {
            let sheets: Vec<String> = i
                .tables
                .iter()
                .map(|t| {
                    format!("{} {}/{}/{}", t.sheet.as_deref().unwrap_or("-"), t.rows_in, t.rows_out, t.quarantined)
                })
                .collect();
            writeln!(out, "  sheets (in/out/quarantined): {}", sheets.join(", "))?;
        }
        for t in i.tables.iter().filter(|t| !t.unmapped.is_empty()) {
            let sheet = t.sheet.as_deref().map(|s| format!(" in sheet {s:?}")).unwrap_or_default();
            writeln!(out, "  no source column{sheet} for: {}", t.unmapped.join(", "))?;
        }
        for (field, r) in i.rates.fields() {
            if r.non_empty == 0 {
                continue;
            }
            let fails: Vec<String> = r.unparsed.iter().take(5).map(|(t, n)| format!("{t:?} ×{n}")).collect();
            let fails = if fails.is_empty() { String::new() } else { format!("; unparsed: {}", fails.join(", ")) };
            writeln!(out, "  {field}: {}/{} parsed ({}){fails}", r.parsed, r.non_empty, rate(r))?;
        }
        if !i.reasons.is_empty() {
            let reasons: Vec<String> = i.reasons.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            writeln!(out, "  quarantined: {}", reasons.join(", "))?;
        }
        if !i.rejected.is_empty() {
            let rejected: Vec<String> = i.rejected.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            writeln!(out, "  left null because `accept` refused every candidate: {}", rejected.join(", "))?;
        }
    }
    for k in &s.skipped {
        writeln!(out, "\nskipped {}: {}", k.path.display(), k.error)?;
    }
    writeln!(out, "\nwrote {} ({} rows)", s.quarantine.display(), s.quarantined)?;
    Ok(())
}
