//! `zhiye eval`: accuracy against a gold file, beside another coder's.

use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_pipeline::eval::{
    EvalReport, GoldColumns, LevelAccuracy, Scores, evaluate, join_descriptions, read_gold, read_peer,
};

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold file, CSV or Parquet.
    #[arg(long)]
    gold: PathBuf,
    /// Title column.
    #[arg(long, default_value = "title")]
    title_col: String,
    /// Gold code column (`-` = no occupation can be read).
    #[arg(long, default_value = "code")]
    code_col: String,
    /// Description column, classified with the title.
    #[arg(long)]
    desc_col: Option<String>,
    /// Row weight column.
    #[arg(long)]
    weight_col: Option<String>,
    /// Alternative code column: a second defensible code, accepted in the `+alt` figures.
    #[arg(long)]
    alt_col: Option<String>,
    /// Ambiguity flag column (1 = two codes about equally defensible).
    #[arg(long)]
    ambiguous_col: Option<String>,
    /// Half column (0 tuning, 1 report); without it `--half` takes rows by parity.
    #[arg(long)]
    half_col: Option<String>,
    /// Only this half: 0 the tuning half, 1 the report half.
    #[arg(long)]
    half: Option<u8>,
    /// Posting id column: descriptions are read from the postings under `--postings`.
    #[arg(long, requires = "postings")]
    id_col: Option<String>,
    /// Folder of canonical Parquet postings (`zhiye import`'s output) holding the gold postings.
    #[arg(long)]
    postings: Option<PathBuf>,
    /// Another coder's predictions for the same gold file (CSV: code, top5, score, stage),
    /// scored on the same rows.
    #[arg(long)]
    peer: Option<PathBuf>,
    /// A description model (`zhiye learn`): descriptions are also read in the boards' own vocabulary
    /// [default: the configuration's]
    #[arg(long)]
    description_model: Option<PathBuf>,
    /// Rules file [default: the configuration's]
    #[arg(long, conflicts_with = "no_rules")]
    rules: Option<PathBuf>,
    /// Classify without rules.
    #[arg(long)]
    no_rules: bool,
    /// Evidence fusion weights (a file `zhiye fit` writes) [default: the configuration's, else the
    /// shipped config/fusion.toml]
    #[arg(long)]
    fusion: Option<PathBuf>,
    /// Folder holding the taxonomy files [default: the configuration's]
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Write each labelled row's prediction to this CSV file.
    #[arg(long)]
    dump: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

/// Evaluates the classifier of the configuration (`--config`), built as `zhiye run` builds it; the
/// flags override its taxonomy, rules, fusion and description model.
pub fn run(args: Args, g: &Global) -> Result<()> {
    let cols = GoldColumns {
        title: &args.title_col,
        code: &args.code_col,
        description: args.desc_col.as_deref(),
        weight: args.weight_col.as_deref(),
        alt: args.alt_col.as_deref(),
        ambiguous: args.ambiguous_col.as_deref(),
        half: args.half_col.as_deref(),
        posting_id: args.id_col.as_deref(),
    };
    let mut rows = read_gold(&args.gold, &cols)?;
    if let Some(dir) = &args.postings {
        join_descriptions(&mut rows, dir)?;
    }
    let mut peer = args.peer.as_deref().map(read_peer).transpose()?;
    if let Some(p) = &peer {
        anyhow::ensure!(
            p.len() == rows.len(),
            "{}: {} predictions for {} gold rows",
            args.peer.as_ref().expect("peer given").display(),
            p.len(),
            rows.len()
        );
    }
    if let Some(h) = args.half {
        let keep: Vec<bool> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| if args.half_col.is_some() { r.half == Some(h) } else { i % 2 == usize::from(h % 2) })
            .collect();
        let mut k = keep.iter();
        rows.retain(|_| *k.next().expect("one flag per row"));
        if let Some(p) = &mut peer {
            let mut k = keep.iter();
            p.retain(|_| *k.next().expect("one flag per row"));
        }
    }
    let mut config = g.config()?;
    let c = &mut config.classify;
    if args.no_rules {
        c.rules = PathBuf::new();
    } else if let Some(r) = args.rules {
        c.rules = r;
    }
    if let Some(f) = args.fusion {
        c.fusion = f;
    }
    if let Some(m) = args.description_model {
        c.description_model = m;
    }
    if let Some(t) = args.taxonomy {
        config.taxonomy.dir = t;
    }
    let (taxonomy, classifier) =
        zhiye_pipeline::run::build_classifier(&config).context("cannot build the classifier")?;
    let (report, predictions) = evaluate(&classifier, &taxonomy, &rows, peer.as_deref());
    if let Some(path) = &args.dump {
        let mut w = csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
        w.write_record([
            "title",
            "gold",
            "alt",
            "ambiguous",
            "predicted",
            "level",
            "score",
            "method",
            "top_k",
            "evidence",
        ])?;
        let labelled = rows.iter().filter(|r| r.code.is_some() || r.no_occupation);
        for (r, p) in labelled.zip(&predictions) {
            let top: Vec<String> = p.top.iter().map(|c| c.to_string()).collect();
            let gold = r.code.map_or_else(|| "-".to_string(), |c| c.to_string());
            let alt = r.alt.map(|c| c.to_string()).unwrap_or_default();
            let best = top.first().cloned().unwrap_or_default();
            let score = format!("{:.3}", p.score);
            let level = p.level.map(|l| l.name()).unwrap_or_default();
            let ambiguous = if r.ambiguous { "1" } else { "0" };
            w.write_record([
                r.title.as_str(),
                &gold,
                &alt,
                ambiguous,
                &best,
                level,
                &score,
                &p.method,
                &top.join("|"),
                &p.evidence,
            ])?;
        }
        w.flush()?;
    }
    emit(args.format.format, &report, |_| {
        print_table(&report);
        Ok(())
    })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn level_rows(title: &str, zhiye: &[LevelAccuracy], peer: Option<&[LevelAccuracy]>) {
    println!("{title}");
    println!(
        "  {:<7} {:>5}  {:>7} {:>7} {:>7}{}",
        "level",
        "rows",
        "top-1",
        "+alt",
        "top-5",
        if peer.is_some() { "   | peer top-1    +alt   top-5" } else { "" }
    );
    for (i, l) in zhiye.iter().enumerate() {
        let p = peer
            .map(|p| format!("   | {:>10} {:>7} {:>7}", pct(p[i].top1), pct(p[i].top1_alt), pct(p[i].top5)))
            .unwrap_or_default();
        println!("  {:<7} {:>5}  {:>7} {:>7} {:>7}{p}", l.level, l.rows, pct(l.top1), pct(l.top1_alt), pct(l.top5));
    }
}

fn details(who: &str, s: &Scores) {
    println!("{who} by method (fine gold rows):");
    for m in &s.methods {
        let share = m.rows as f64 / s.rows.max(1) as f64;
        println!(
            "  {:<13} {:>6} of rows; fine top-1 {:>6} (+alt {:>6}) of {}",
            m.method,
            pct(share),
            pct(m.fine_top1),
            pct(m.fine_top1_alt),
            m.fine_rows
        );
    }
    println!("{who} by confidence (reliability, fine gold rows):");
    for b in &s.reliability {
        println!(
            "  score {:.1}-{:.1}  {:>5} rows  mean score {:.2}  fine top-1 {:>6} (+alt {:>6})",
            b.from,
            b.to,
            b.rows,
            b.mean_score,
            pct(b.accuracy),
            pct(b.accuracy_alt)
        );
    }
}

fn print_table(report: &EvalReport) {
    let z = &report.zhiye;
    println!("{} rows with a gold code ({} skipped: no or malformed code)", z.rows, report.skipped);
    if z.no_occupation.rows > 0 {
        println!(
            "  {} rows whose gold is no occupation (-): zhiye abstained (unclassified or large only) on {}{}",
            z.no_occupation.rows,
            z.no_occupation.abstained,
            report.peer.as_ref().map(|p| format!(", the peer on {}", p.no_occupation.abstained)).unwrap_or_default()
        );
    }
    level_rows("all rows:", &z.levels, report.peer.as_ref().map(|p| p.levels.as_slice()));
    level_rows("unambiguous rows:", &z.unambiguous, report.peer.as_ref().map(|p| p.unambiguous.as_slice()));
    details("zhiye", z);
    println!("zhiye trusted level (hierarchical fallback):");
    for t in &z.trusted {
        let share = t.rows as f64 / z.rows.max(1) as f64;
        println!("  {:<7} {:>6} of rows; right at that level {}", t.level, pct(share), pct(t.accuracy));
    }
    if let Some(p) = &report.peer {
        details("peer", p);
    }
    println!("gold against the taxonomy (titles that are one occupation's name or alias):");
    for a in &report.taxonomy_agreement {
        let levels: Vec<String> =
            a.levels.iter().map(|l| format!("{} {:.1}% of {}", l.level, l.agreement * 100.0, l.rows)).collect();
        println!("  {:<5} {:>5} rows; gold agrees: {}", a.source, a.rows, levels.join(", "));
    }
    println!("classified {:.0} rows/s", report.rows_per_second);
}
