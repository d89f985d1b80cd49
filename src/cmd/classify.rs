//! `zhiye classify`: the classifier on titles typed or piped in, with its
//! evidence — for reading why a posting got its code.

use std::io::{BufRead, Write};

use anyhow::Result;
use serde_json::json;
use zhiye_core::Taxonomy;
use zhiye_text::{Outcome, Scratch};

use super::log::Global;
use super::output::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Job titles; `-` reads titles from standard input, one per line.
    #[arg(required = true)]
    titles: Vec<String>,
    /// A description classified with every title (the title dominates).
    #[arg(long)]
    description: Option<String>,
    /// How to print: a block per title, one JSON object per title (JSON lines), or a CSV record per
    /// title with the top candidates flattened (top_k.0.code …)
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let config = g.config()?;
    let (taxonomy, classifier) = zhiye_pipeline::run::build_classifier(&config)?;
    let mut scratch = Scratch::new();
    // Written, not printed: a closed pipe (`| head`) ends the command quietly.
    let mut out = std::io::stdout().lock();
    let mut csv = (args.format == Format::Csv).then(|| csv::Writer::from_writer(std::io::stdout()));
    let top_k = classifier.options().top_k;
    if let Some(w) = &mut csv {
        w.write_record(csv_header(top_k)).map_err(std::io::Error::from)?;
    }
    let mut one = |title: &str| -> Result<()> {
        let o = classifier.classify(title, args.description.as_deref(), &mut scratch);
        match &mut csv {
            Some(w) => w.write_record(csv_record(title, &o, &taxonomy, top_k)).map_err(std::io::Error::from)?,
            None if args.format == Format::Json => writeln!(out, "{}", as_json(title, &o, &taxonomy))?,
            None => print_table(&mut out, title, &o, &taxonomy)?,
        }
        Ok(())
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
    if let Some(w) = &mut csv {
        w.flush()?;
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

/// The CSV columns: the fields of the JSON object, the top candidates flattened.
fn csv_header(top_k: usize) -> Vec<String> {
    let mut h: Vec<String> =
        ["title", "code", "name", "level", "score", "margin", "method", "rule", "evidence"].map(String::from).into();
    for i in 0..top_k {
        h.extend(["code", "name", "score"].map(|f| format!("top_k.{i}.{f}")));
    }
    h
}

fn csv_record(title: &str, o: &Outcome<'_>, taxonomy: &Taxonomy, top_k: usize) -> Vec<String> {
    let code = |c: Option<zhiye_core::OcdCode>| c.map_or_else(String::new, |c| c.to_string());
    let mut r = vec![
        title.to_string(),
        code(o.code),
        o.code.map_or("", |c| name(taxonomy, c)).to_string(),
        o.level.name().to_string(),
        o.score.to_string(),
        o.margin.to_string(),
        o.method.name().to_string(),
        o.rule.unwrap_or("").to_string(),
        o.evidence.to_string(),
    ];
    for i in 0..top_k {
        match o.top.get(i) {
            Some(&(c, p)) => r.extend([c.to_string(), name(taxonomy, c).to_string(), p.to_string()]),
            None => r.extend([String::new(), String::new(), String::new()]),
        }
    }
    r
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
