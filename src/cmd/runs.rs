//! `zhiye runs list|show`: the published versions of an output folder.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use zhiye_pipeline::run::Layout;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// One line per published version, oldest first; `*` marks `current`.
    List {
        /// Configuration whose output folder to list; without it, the embedded default.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// A version's run summary (JSON); without an id, the current one.
    Show {
        /// Version id (see `zhiye runs list`).
        id: Option<String>,
        /// Configuration whose output folder to read; without it, the embedded default.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

pub fn run(args: Args) -> Result<()> {
    match args.command {
        Command::List { config, json } => {
            let config = super::run::load_config(config.as_deref())?;
            let versions = Layout::new(&config.output.dir).list()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&versions)?);
                return Ok(());
            }
            println!(
                "  {:<20} {:>12} {:>10} {:>8} {:>10} {:>10} {:>8}",
                "version", "postings", "partitions", "new", "classified", "reused", "seconds"
            );
            for v in &versions {
                let mark = if v.current { '*' } else { ' ' };
                match &v.summary {
                    Some(s) => println!(
                        "{mark} {:<20} {:>12} {:>10} {:>8} {:>10} {:>10} {:>8.1}",
                        v.id,
                        s.rows_in,
                        s.partitions.total,
                        s.partitions.new + s.partitions.changed,
                        s.row_groups.rows_classified,
                        s.row_groups.reused,
                        s.total_seconds
                    ),
                    None => println!("{mark} {:<20} (no readable run_summary.json)", v.id),
                }
            }
            if versions.is_empty() {
                println!("no published versions under {}", config.output.dir.display());
            }
        }
        Command::Show { id, config } => {
            let config = super::run::load_config(config.as_deref())?;
            let layout = Layout::new(&config.output.dir);
            let Some(id) = id.or_else(|| layout.current_id()) else {
                bail!("no published version under {} (run `zhiye run` first)", config.output.dir.display())
            };
            let path = zhiye_pipeline::run::publish::summary_path(&layout.versions.join(&id));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("version {id}: cannot read {}", path.display()))?;
            println!("{}", text.trim_end());
        }
    }
    Ok(())
}
