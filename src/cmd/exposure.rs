//! `zhiye exposure score`: E0–E3 labels → exposure scores at every level and Table 1.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use zhiye_analysis::Table;
use zhiye_analysis::exposure::{ExposureOptions, ExposureScores, LabelSet, Table1};
use zhiye_core::Taxonomy;

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Score occupations from labels (code, model, run, label ∈ E0..E3; CSV or Parquet).
    Score(ScoreArgs),
}

#[derive(Debug, clap::Args)]
struct ScoreArgs {
    /// The labels file.
    #[arg(long)]
    labels: PathBuf,
    /// Folder for exposure_{fine,small,medium,large}.csv and table1_*.csv [default: the configuration's
    /// output folder, output.dir]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Large classes left out (the paper leaves out 1, 7 and 8).
    #[arg(long, value_delimiter = ',', default_value = "1,7,8")]
    exclude_large: Vec<u8>,
    /// Folder with csco22.csv [default: the configuration's, taxonomy.dir]
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

/// What `zhiye exposure score` did, as JSON and CSV print it.
#[derive(serde::Serialize)]
struct Scored<'a> {
    written: Vec<PathBuf>,
    labels: usize,
    models: usize,
    dropped_labels: usize,
    invalid_labels: usize,
    table1: &'a Table,
    correlations: &'a Table,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let Command::Score(a) = args.command;
    let config = g.config()?;
    let taxonomy_dir = a.taxonomy.unwrap_or(config.taxonomy.dir);
    let out = a.out.unwrap_or(config.output.dir);
    let taxonomy = Taxonomy::from_path(taxonomy_dir.join("csco22.csv"))?;
    let labels = LabelSet::read(&a.labels, &taxonomy)?;
    let scores = ExposureScores::compute(&labels, &ExposureOptions::excluding(a.exclude_large.iter().copied()));
    let table1 = Table1::compute(&scores);
    std::fs::create_dir_all(&out)?;
    let (summary, correlations) = (table1.summary_table(), table1.correlation_table());
    let scored = Scored {
        written: zhiye_pipeline::study::write_exposure_tables(&scores, &table1, &out)?,
        labels: labels.labels().len(),
        models: scores.models().len(),
        dropped_labels: scores.dropped_labels(),
        invalid_labels: scores.invalid_labels(),
        table1: &summary,
        correlations: &correlations,
    };
    emit(a.format.format, &scored, |out| {
        for p in &scored.written {
            writeln!(out, "wrote {}", p.display())?;
        }
        writeln!(
            out,
            "{} labels, {} models; {} dropped (excluded large classes), {} invalid replies skipped",
            scored.labels, scored.models, scored.dropped_labels, scored.invalid_labels
        )?;
        for (name, t) in [("Table 1", &summary), ("correlations", &correlations)] {
            writeln!(out, "\n{name}")?;
            print_table(out, t)?;
        }
        Ok(())
    })
}

fn print_table(out: &mut dyn Write, t: &Table) -> std::io::Result<()> {
    writeln!(out, "{}", t.columns.join("\t"))?;
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                zhiye_analysis::Cell::Float(x) => format!("{x:.4}"),
                c => c.to_string(),
            })
            .collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}
