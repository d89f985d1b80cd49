//! `zhiye classify`: the classifier on titles typed or piped in, with its
//! evidence — for reading why a posting got its code.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;
use zhiye_core::Taxonomy;
use zhiye_text::{Outcome, Scratch};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Job titles; `-` reads titles from standard input, one per line.
    #[arg(required = true)]
    titles: Vec<String>,
    /// A description classified with every title (the title dominates).
    #[arg(long)]
    description: Option<String>,
    /// Configuration (taxonomy, rules, classifier options); without it, the embedded default.
    #[arg(long)]
    config: Option<PathBuf>,
    /// One JSON object per title (JSON lines).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let config = super::run::load_config(args.config.as_deref())?;
    let (taxonomy, classifier) = zhiye_pipeline::run::build_classifier(&config)?;
    let mut scratch = Scratch::new();
    // Written, not printed: a closed pipe (`| head`) ends the command quietly.
    let mut out = std::io::stdout().lock();
    let mut one = |title: &str| {
        let o = classifier.classify(title, args.description.as_deref(), &mut scratch);
        if args.json {
            writeln!(out, "{}", as_json(title, &o, &taxonomy))
        } else {
            print_table(&mut out, title, &o, &taxonomy)
        }
    };
    for t in &args.titles {
        if t == "-" {
            for line in std::io::stdin().lock().lines() {
                one(line?.trim())?;
            }
        } else {
            one(t)?;
        }
    }
    Ok(())
}

fn name(taxonomy: &Taxonomy, code: zhiye_core::OcdCode) -> &str {
    taxonomy.get(code).map_or("?", |c| c.name.as_str())
}

fn as_json(title: &str, o: &Outcome<'_>, taxonomy: &Taxonomy) -> serde_json::Value {
    let top: Vec<_> =
        o.top.iter().map(|&(c, p)| json!({"code": c.to_string(), "name": name(taxonomy, c), "score": p})).collect();
    json!({
        "title": title,
        "code": o.code.map(|c| c.to_string()),
        "name": o.code.map(|c| name(taxonomy, c)),
        "level": o.level.name(),
        "score": o.score,
        "margin": o.margin,
        "method": o.method.name(),
        "rule": o.rule,
        "top_k": top,
        "evidence": o.evidence,
    })
}

fn print_table(out: &mut impl Write, title: &str, o: &Outcome<'_>, taxonomy: &Taxonomy) -> std::io::Result<()> {
    match o.code {
        None => writeln!(out, "{title}: unclassified")?,
        Some(code) => {
            let trusted = code.truncate(o.level);
            writeln!(
                out,
                "{title}: {code} {} ({}, trusted at {} level: {trusted} {}; score {:.2}, margin {:.2})",
                name(taxonomy, code),
                o.method.name(),
                o.level.name(),
                name(taxonomy, trusted),
                o.score,
                o.margin
            )?;
            for &(c, p) in o.top {
                writeln!(out, "    {p:5.3}  {c}  {}", name(taxonomy, c))?;
            }
        }
    }
    if !o.evidence.is_empty() {
        writeln!(out, "    evidence: {}", o.evidence)?;
    }
    Ok(())
}
