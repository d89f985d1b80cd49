//! `zhiye exposure score`: E0–E3 labels → exposure scores at every level and Table 1.

use std::path::PathBuf;

use anyhow::Result;
use zhiye_analysis::Table;
use zhiye_analysis::exposure::{ExposureOptions, ExposureScores, LabelSet, Table1};
use zhiye_core::Taxonomy;

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
    /// Folder for exposure_{fine,small,medium,large}.csv and table1_*.csv.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Large classes left out (the paper leaves out 1, 7 and 8).
    #[arg(long, value_delimiter = ',', default_value = "1,7,8")]
    exclude_large: Vec<u8>,
    /// Folder with csco22.csv.
    #[arg(long, default_value_os_t = crate::default_taxonomy_dir())]
    taxonomy: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let Command::Score(a) = args.command;
    let taxonomy = Taxonomy::from_path(a.taxonomy.join("csco22.csv"))?;
    let labels = LabelSet::read(&a.labels, &taxonomy)?;
    let scores = ExposureScores::compute(&labels, &ExposureOptions::excluding(a.exclude_large.iter().copied()));
    let table1 = Table1::compute(&scores);
    std::fs::create_dir_all(&a.out)?;
    for p in zhiye_pipeline::study::write_exposure_tables(&scores, &table1, &a.out)? {
        println!("wrote {}", p.display());
    }
    println!(
        "{} labels, {} models; {} dropped (excluded large classes), {} invalid replies skipped",
        labels.labels().len(),
        scores.models().len(),
        scores.dropped_labels(),
        scores.invalid_labels()
    );
    for (name, t) in [("Table 1", table1.summary_table()), ("correlations", table1.correlation_table())] {
        println!("\n{name}");
        print_table(&t);
    }
    Ok(())
}

fn print_table(t: &Table) {
    println!("{}", t.columns.join("\t"));
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                zhiye_analysis::Cell::Float(x) => format!("{x:.4}"),
                c => c.to_string(),
            })
            .collect();
        println!("{}", cells.join("\t"));
    }
}
