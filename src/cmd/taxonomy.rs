//! `zhiye taxonomy stats|show|search`.

use std::path::PathBuf;

use std::io::Write;

use anyhow::{Result, bail};
use zhiye_core::taxonomy::OFFICIAL_COUNTS;
use zhiye_core::{Level, OcdCode, Origin, SourceIssue, Taxonomy};

use serde_json::json;

use super::log::Global;
use super::output::{FormatArg, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder holding csco22.csv [default: the configuration's, taxonomy.dir]
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    #[command(subcommand)]
    action: Action,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Counts per level beside the official ones, and every flaw of the source.
    Stats,
    /// One class: its path, flags, definition, tasks, aliases and children.
    Show {
        /// A code such as 2-02-10-01 (or a prefix such as 2-02).
        code: String,
    },
    /// Classes whose name or alias contains TEXT.
    Search {
        /// Text to look for.
        text: String,
        /// At most this many hits.
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let dir = args.taxonomy.map_or_else(|| g.config().map(|c| c.taxonomy.dir), Ok)?;
    let path = dir.join("csco22.csv");
    let tax = Taxonomy::from_path(&path)?;
    let format = args.format.format;
    match args.action {
        Action::Stats => {
            let counts = tax.counts();
            let levels: Vec<_> = Level::ALL
                .iter()
                .map(|l| {
                    let i = l.depth() - 1;
                    json!({"level": l.name(), "source": counts[i], "official": OFFICIAL_COUNTS[i]})
                })
                .collect();
            let issues: Vec<String> = tax.issues().iter().map(ToString::to_string).collect();
            emit(format, &json!({"levels": levels, "source_flaws": issues}), |out| {
                stats(&tax, out).map_err(std::io::Error::other)
            })
        }
        Action::Show { code } => {
            let code: OcdCode = code.parse()?;
            let Some(i) = tax.index_of(code) else { bail!("{code} is not in the taxonomy") };
            let c = &tax.classes()[i];
            let class = json!({
                "code": c.code.to_string(),
                "level": c.code.level().name(),
                "name": c.name,
                "digital": c.digital,
                "green": c.green,
                "occupation": c.occupation,
                "implied": c.origin == Origin::Implied,
                "definition": c.definition,
                "tasks": c.tasks,
                "aliases": c.aliases,
                "children": c.children.iter().map(|&k| tax.classes()[k].code.to_string()).collect::<Vec<_>>(),
            });
            emit(format, &class, |out| show(&tax, i, out))
        }
        Action::Search { text, limit } => {
            let hits = tax.search(&text);
            let rows: Vec<_> = hits
                .iter()
                .take(limit)
                .map(|(c, matched)| {
                    json!({"code": c.code.to_string(), "level": c.code.level().name(), "name": c.name, "matched": matched})
                })
                .collect();
            emit(format, &rows, |out| {
                for (c, matched) in hits.iter().take(limit) {
                    let via = if matched == &c.name { String::new() } else { format!("  (alias {matched})") };
                    writeln!(out, "{}  {:<6}  {}{via}", c.code, c.code.level().name(), c.name)?;
                }
                writeln!(out, "{} hit(s)", hits.len())
            })
        }
    }
}

fn stats(tax: &Taxonomy, out: &mut dyn Write) -> Result<()> {
    let counts = tax.counts();
    writeln!(out, "{:<8} {:>8} {:>9} {:>6}", "level", "source", "official", "gap")?;
    for level in Level::ALL {
        let i = level.depth() - 1;
        let label = if level == Level::Fine { "fine*" } else { level.name() };
        let gap = OFFICIAL_COUNTS[i] as i64 - counts[i] as i64;
        writeln!(out, "{label:<8} {:>8} {:>9} {gap:>6}", counts[i], OFFICIAL_COUNTS[i])?;
    }
    let undivided = tax.occupations().iter().filter(|&&i| tax.classes()[i].code.level() == Level::Small).count();
    writeln!(out, "* occupations postings are coded onto: fine classes and {undivided} undivided small classes (-00)")?;
    let digital = tax.occupations().iter().filter(|&&i| tax.classes()[i].digital).count();
    let green = tax.occupations().iter().filter(|&&i| tax.classes()[i].green).count();
    let aliases: usize = tax.occupations().iter().map(|&i| tax.classes()[i].aliases.len()).sum();
    writeln!(out, "occupations: {digital} digital (S), {green} green (L), {aliases} aliases")?;
    writeln!(out, "\nsource flaws ({}):", tax.issues().len())?;
    // The long, uniform lists are summarised as code lists; the rest one per line.
    let undivided_codes: Vec<String> = tax
        .issues()
        .iter()
        .filter_map(|i| match i {
            SourceIssue::UndividedSmall { code, .. } => Some(code.to_string()),
            _ => None,
        })
        .collect();
    let empty_other: Vec<String> = tax
        .issues()
        .iter()
        .filter_map(|i| match i {
            SourceIssue::EmptyGroup { code } if code.parts()[2] == 99 || code.parts()[1] == 99 => {
                Some(code.to_string())
            }
            _ => None,
        })
        .collect();
    for issue in tax.issues() {
        let summarised = match issue {
            SourceIssue::UndividedSmall { also_small_row, .. } => !also_small_row,
            SourceIssue::EmptyGroup { code } => code.parts()[2] == 99 || code.parts()[1] == 99,
            _ => false,
        };
        if !summarised {
            writeln!(out, "  {issue}")?;
        }
    }
    print_codes(
        out,
        &format!("{} level-4 rows coded -00 are undivided small classes, used as occupations:", undivided_codes.len()),
        &undivided_codes,
    )?;
    print_codes(
        out,
        &format!(
            "{} \"其他\" (99) classes have no occupations in the source (catch-alls, never coded onto):",
            empty_other.len()
        ),
        &empty_other,
    )?;
    Ok(())
}

fn print_codes(out: &mut dyn Write, title: &str, codes: &[String]) -> std::io::Result<()> {
    writeln!(out, "  {title}")?;
    for chunk in codes.chunks(8) {
        writeln!(out, "    {}", chunk.join(" "))?;
    }
    Ok(())
}

fn show(tax: &Taxonomy, i: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let c = &tax.classes()[i];
    let mut path: Vec<String> =
        tax.ancestors(i).map(|a| format!("{} {:<6} {}", a.code, a.code.level().name(), a.name)).collect();
    path.reverse();
    for p in &path {
        writeln!(out, "  {p}")?;
    }
    let mut flags = Vec::new();
    if c.digital {
        flags.push("digital (S)");
    }
    if c.green {
        flags.push("green (L)");
    }
    if c.occupation {
        flags.push("occupation");
    }
    if c.origin == Origin::Implied {
        flags.push("implied: missing from the source");
    }
    writeln!(out, "{} {}  [{}; {}]", c.code, c.name, c.code.level(), flags.join(", "))?;
    if !c.definition.is_empty() {
        writeln!(out, "definition: {}", c.definition)?;
    }
    for (k, t) in c.tasks.iter().enumerate() {
        writeln!(out, "  task {}: {t}", k + 1)?;
    }
    if !c.aliases.is_empty() {
        writeln!(out, "aliases: {}", c.aliases.join(", "))?;
    }
    for &k in &c.children {
        let ch = &tax.classes()[k];
        writeln!(out, "  child {} {}", ch.code, ch.name)?;
    }
    Ok(())
}
