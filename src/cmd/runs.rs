//! `zhiye runs list|show`: the published versions of an output folder.

use anyhow::{Context, Result, bail};
use zhiye_pipeline::run::{Layout, RunSummary};

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// One line per published version of the configuration's output folder, oldest first; `*` marks `current`.
    List,
    /// A version's run summary; without an id, the current one.
    Show {
        /// Version id (see `zhiye runs list`).
        id: Option<String>,
    },
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let config = g.config()?;
    let layout = Layout::new(&config.output.dir);
    match args.command {
        Command::List => {
            let versions = layout.list()?;
            emit(args.format.format, &versions, |out| {
                writeln!(
                    out,
                    "  {:<20} {:>12} {:>10} {:>8} {:>10} {:>10} {:>8}",
                    "version", "postings", "partitions", "new", "classified", "reused", "seconds"
                )?;
                for v in &versions {
                    let mark = if v.current { '*' } else { ' ' };
                    match &v.summary {
                        Some(s) => writeln!(
                            out,
                            "{mark} {:<20} {:>12} {:>10} {:>8} {:>10} {:>10} {:>8.1}",
                            v.id,
                            s.rows_in,
                            s.partitions.total,
                            s.partitions.new + s.partitions.changed,
                            s.row_groups.rows_classified,
                            s.row_groups.reused,
                            s.total_seconds
                        )?,
                        None => writeln!(out, "{mark} {:<20} (no readable run_summary.json)", v.id)?,
                    }
                }
                if versions.is_empty() {
                    writeln!(out, "no published versions under {}", config.output.dir.display())?;
                }
                Ok(())
            })
        }
        Command::Show { id } => {
            let Some(id) = id.or_else(|| layout.current_id()) else {
                bail!("no published version under {} (run `zhiye run` first)", config.output.dir.display())
            };
            let path = zhiye_pipeline::run::publish::summary_path(&layout.versions.join(&id));
            let text = std::fs::read(&path).with_context(|| format!("version {id}: cannot read {}", path.display()))?;
            let summary: RunSummary =
                serde_json::from_slice(&text).with_context(|| format!("version {id}: {}", path.display()))?;
            emit(args.format.format, &summary, |out| super::run::print_summary(out, &config, &summary))
        }
    }
}
