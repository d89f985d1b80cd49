//! `zhiye eval`: accuracy against a gold file.

use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_pipeline::eval::{GoldColumns, evaluate, read_gold};
use zhiye_text::{Classifier, ClassifierOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold file, CSV or Parquet.
    #[arg(long)]
    gold: PathBuf,
    /// Title column.
    #[arg(long)]
    title_col: String,
    /// Gold code column.
    #[arg(long)]
    code_col: String,
    /// Description column, classified with the title.
    #[arg(long)]
    desc_col: Option<String>,
    /// Row weight column.
    #[arg(long)]
    weight_col: Option<String>,
    /// Only rows with this index parity (0 even, 1 odd): the tuning and the
    /// reporting half of a development set.
    #[arg(long)]
    half: Option<u8>,
    /// Rules file.
    #[arg(long, default_value = "config/rules.toml", conflicts_with = "no_rules")]
    rules: PathBuf,
    /// Classify without rules.
    #[arg(long)]
    no_rules: bool,
    /// Folder holding the taxonomy files.
    #[arg(long, default_value_os_t = crate::default_taxonomy_dir())]
    taxonomy: PathBuf,
    /// Write each labelled row's prediction to this CSV file.
    #[arg(long)]
    dump: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

pub fn run(args: Args) -> Result<()> {
    let cols = GoldColumns {
        title: &args.title_col,
        code: &args.code_col,
        description: args.desc_col.as_deref(),
        weight: args.weight_col.as_deref(),
    };
    let mut rows = read_gold(&args.gold, &cols)?;
    if let Some(h) = args.half {
        rows = rows.into_iter().enumerate().filter(|(i, _)| i % 2 == usize::from(h % 2)).map(|(_, r)| r).collect();
    }
    let rules = (!args.no_rules).then_some(args.rules.as_path());
    let (taxonomy, classifier) = Classifier::from_dir(&args.taxonomy, rules, ClassifierOptions::default())
        .context("cannot build the classifier; run `make setup` first")?;
    let (report, predictions) = evaluate(&classifier, &taxonomy, &rows);
    if let Some(path) = &args.dump {
        let mut w = csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
        w.write_record(["title", "gold", "predicted", "level", "score", "method", "top_k", "evidence"])?;
        for (r, p) in rows.iter().filter(|r| r.code.is_some()).zip(&predictions) {
            let top: Vec<String> = p.top.iter().map(|c| c.to_string()).collect();
            let gold = r.code.map(|c| c.to_string()).unwrap_or_default();
            let best = top.first().cloned().unwrap_or_default();
            let score = format!("{:.3}", p.score);
            w.write_record([
                r.title.as_str(),
                &gold,
                &best,
                p.level.name(),
                &score,
                p.method,
                &top.join("|"),
                &p.evidence,
            ])?;
        }
        w.flush()?;
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Table => {
            println!("{} rows with a gold code ({} skipped: no or malformed code)", report.rows, report.skipped);
            println!("{:<8} {:>6} {:>8} {:>8}", "level", "rows", "top-1", "top-5");
            for l in &report.levels {
                println!("{:<8} {:>6} {:>7.1}% {:>7.1}%", l.level, l.rows, l.top1 * 100.0, l.top5 * 100.0);
            }
            for m in &report.methods {
                let share = m.rows as f64 / report.rows.max(1) as f64 * 100.0;
                println!(
                    "method {:<13} {share:>5.1}% of rows; fine top-1 on those {:.1}%",
                    m.method,
                    m.fine_top1 * 100.0
                );
            }
            println!("reliability (fine gold rows by confidence):");
            for b in &report.reliability {
                println!(
                    "  score {:.1}-{:.1}  {:>5} rows  mean score {:.2}  fine top-1 {:>5.1}%",
                    b.from,
                    b.to,
                    b.rows,
                    b.mean_score,
                    b.accuracy * 100.0
                );
            }
            println!("trusted level (hierarchical fallback):");
            for t in &report.trusted {
                let share = t.rows as f64 / report.rows.max(1) as f64 * 100.0;
                println!("  {:<7} {share:>5.1}% of rows; right at that level {:.1}%", t.level, t.accuracy * 100.0);
            }
            println!("gold against the taxonomy (titles that are one occupation's name or alias):");
            for a in &report.taxonomy_agreement {
                let levels: Vec<String> =
                    a.levels.iter().map(|l| format!("{} {:.1}% of {}", l.level, l.agreement * 100.0, l.rows)).collect();
                println!("  {:<5} {:>5} rows; gold agrees: {}", a.source, a.rows, levels.join(", "));
            }
            println!("classified {:.0} rows/s", report.rows_per_second);
        }
    }
    Ok(())
}
