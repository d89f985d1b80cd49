//! `zhiye classify`: the classifier on titles typed or piped in, with its
//! evidence — for reading why a posting got its code.

use std::io::BufRead;
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
    let mut one = |title: &str| {
        let o = classifier.classify(title, args.description.as_deref(), &mut scratch);
        if args.json {
            println!("{}", as_json(title, &o, &taxonomy));
        } else {
            print_table(title, &o, &taxonomy);
        }
    };
    for t in &args.titles {
        if t == "-" {
            for line in std::io::stdin().lock().lines() {
                one(line?.trim());
            }
        } else {
            one(t);
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

fn print_table(title: &str, o: &Outcome<'_>, taxonomy: &Taxonomy) {
    match o.code {
        None => println!("{title}: unclassified"),
        Some(code) => {
            let trusted = code.truncate(o.level);
            println!(
                "{title}: {code} {} ({}, trusted at {} level: {trusted} {}; score {:.2}, margin {:.2})",
                name(taxonomy, code),
                o.method.name(),
                o.level.name(),
                name(taxonomy, trusted),
                o.score,
                o.margin
            );
            for &(c, p) in o.top {
                println!("    {p:5.3}  {c}  {}", name(taxonomy, c));
            }
        }
    }
    if !o.evidence.is_empty() {
        println!("    evidence: {}", o.evidence);
    }
}
