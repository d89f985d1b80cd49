//! `zhiye`: Chinese job postings → OCD 2022 occupation-level labour-demand
//! statistics. The binary only parses arguments and prints; the work is done
//! by the crates under `crates/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

#[derive(Debug, Parser)]
#[command(name = "zhiye", version, about = "Chinese job postings → OCD 2022 occupation statistics")]
struct Cli {
    #[command(flatten)]
    global: cmd::log::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install the pinned OCD 2022 taxonomy and the shipped rules into the user data folder, for use anywhere.
    Setup(cmd::setup::Args),
    /// Inspect the OCD 2022 taxonomy.
    Taxonomy(cmd::taxonomy::Args),
    /// Classify job titles given on the command line or standard input, with the evidence.
    Classify(cmd::classify::Args),
    /// Measure classifier accuracy against a gold file.
    Eval(Box<cmd::eval::Args>),
    /// Fit the evidence fusion weights on the tuning half of gold files.
    Fit(cmd::fit::Args),
    /// Learn the boards' description vocabulary per occupation from a corpus.
    Learn(cmd::learn::Args),
    /// Generate a SYNTHETIC corpus of postings (month-partitioned Parquet).
    Generate(cmd::generate::Args),
    /// The main job: classify the corpus, aggregate, write out/.
    Run(cmd::run::Args),
    /// The published versions of the output folder: list them, or show one's run summary.
    Runs(cmd::runs::Args),
    /// Recompute the published tables from the last run's classified postings (no classification).
    Aggregate(cmd::aggregate::Args),
    /// Exposure scores from E0–E3 labels, with the paper's Table 1.
    Exposure(cmd::exposure::Args),
    /// Build or update a full-text index of the postings (tantivy, Chinese words by jieba).
    Index(cmd::index::Args),
    /// Search an index: BM25-ranked postings with snippets, filters and facet counts.
    Search(cmd::search::Args),
    /// E0–E3 exposure labels of every fine occupation from OpenAI-compatible LLM endpoints (resumable).
    Label(cmd::label::Args),
    /// Redo the analyses and the HTML report from the outputs of the last run.
    Report(cmd::report::Args),
    /// Import job-board exports (CSV, XLSX, JSONL, Parquet) into canonical Parquet via a mapping.
    Import(cmd::import::Args),
    /// Throughput and memory per stage on the standard SYNTHETIC corpus, with the goals judged.
    Bench(cmd::bench::Args),
}

/// The exit code of a failed command, documented in the README ("Nightly
/// runs"): the pipeline's own classification of its error, else 1.
fn exit_code(e: &anyhow::Error) -> u8 {
    e.chain()
        .find_map(|c| {
            if let Some(p) = c.downcast_ref::<zhiye_pipeline::PipelineError>() {
                Some(p.exit_code())
            } else if let Some(l) = c.downcast_ref::<zhiye_label::LabelError>() {
                Some(if matches!(l, zhiye_label::LabelError::Config { .. } | zhiye_label::LabelError::Toml { .. }) {
                    2
                } else {
                    1
                })
            } else {
                c.downcast_ref::<zhiye_core::Error>().map(|c| {
                    if matches!(c, zhiye_core::Error::Config { .. } | zhiye_core::Error::ConfigFile { .. }) {
                        2
                    } else {
                        1
                    }
                })
            }
        })
        .unwrap_or(1)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Run(_) | Command::Aggregate(_) | Command::Bench(_)) {
        cmd::arenas::limit_malloc_arenas();
    }
    let g = &cli.global;
    let kind = match cli.command {
        Command::Run(_) | Command::Aggregate(_) | Command::Import(_) | Command::Index(_) | Command::Label(_) => {
            cmd::log::Kind::Batch
        }
        _ => cmd::log::Kind::Interactive,
    };
    let progress = g.init_logging(kind);
    let result = match cli.command {
        Command::Setup(a) => cmd::setup::run(a),
        Command::Taxonomy(a) => cmd::taxonomy::run(a, g),
        Command::Eval(a) => cmd::eval::run(*a, g),
        Command::Fit(a) => cmd::fit::run(a, g),
        Command::Learn(a) => cmd::learn::run(a, g),
        Command::Classify(a) => cmd::classify::run(a, g),
        Command::Generate(a) => cmd::generate::run(a, g),
        Command::Run(a) => cmd::run::run(a, g, progress),
        Command::Runs(a) => cmd::runs::run(a, g),
        Command::Import(a) => cmd::import::run(a),
        Command::Aggregate(a) => cmd::aggregate::run(a, g),
        Command::Exposure(a) => cmd::exposure::run(a, g),
        Command::Label(a) => cmd::label::run(a, progress),
        Command::Index(a) => cmd::index::run(a, g),
        Command::Search(a) => cmd::search::run(a),
        Command::Report(a) => cmd::report::run(a, g),
        Command::Bench(a) => cmd::bench::run(a, g),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`zhiye taxonomy search X | head`) is the reader's choice, not an error.
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zhiye: error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}
