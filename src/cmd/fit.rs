//! `zhiye fit`: fits the evidence fusion on the tuning half of gold files and
//! writes it as a fusion file (`config/fusion.toml` is the shipped one).

use std::path::PathBuf;

use anyhow::{Context, Result};
use zhiye_pipeline::eval::{GoldColumns, GoldRow, join_descriptions, read_gold};
use zhiye_pipeline::fit::{START, fit, fit_rows};
use zhiye_text::{DescriptionModel, Fusion, FusionFile};

use super::log::Global;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold files in the gold set's layout (title, code, alt, half; posting_id for postings).
    #[arg(long, required = true, num_args = 1..)]
    gold: Vec<PathBuf>,
    /// Folder of imported postings holding the descriptions of gold postings (by posting_id).
    #[arg(long)]
    postings: Option<PathBuf>,
    /// The half to fit on: 0, the tuning half (never the report half).
    #[arg(long, default_value_t = 0)]
    half: u8,
    /// L2 penalty on the feature weights.
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Gradient-ascent iterations.
    #[arg(long, default_value_t = 3000)]
    iterations: usize,
    /// Count only the gold code as right (by default the labeller's alternative is right too).
    #[arg(long)]
    strict: bool,
    /// A description model (`zhiye learn`): descriptions are also read in the boards' own vocabulary.
    #[arg(long)]
    description_model: Option<PathBuf>,
    #[command(flatten)]
    files: super::ClassifierFiles,
    /// Write the fitted weights here (a fusion file); without it they are printed.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args, g: &Global) -> Result<()> {
    let mut rows: Vec<GoldRow> = Vec::new();
    for path in &args.gold {
        let has_ids = zhiye_pipeline::eval::has_column(path, "posting_id")?;
        let cols = GoldColumns {
            title: "title",
            code: "code",
            alt: Some("alt"),
            half: Some("half"),
            posting_id: has_ids.then_some("posting_id"),
            ..GoldColumns::default()
        };
        let mut file = read_gold(path, &cols)?;
        if has_ids {
            let dir = args.postings.as_deref().context("gold postings need --postings DIR (imported samples)")?;
            join_descriptions(&mut file, dir)?;
        }
        rows.extend(file.into_iter().filter(|r| r.half == Some(args.half)));
    }
    let (taxonomy, mut classifier) = args.files.build(g)?;
    if let Some(path) = &args.description_model {
        classifier.set_description_model(&DescriptionModel::read(path)?)?;
    }
    let refs: Vec<&GoldRow> = rows.iter().collect();
    let fit_on = fit_rows(&classifier, &taxonomy, &refs, !args.strict);
    let (fusion, report) = fit(&fit_on, &START, args.l2, args.iterations);
    eprintln!(
        "fitted on {} rows of half {} ({} where none is right): mean log-likelihood {:.4} → {:.4}",
        report.rows, args.half, report.none_right, report.log_likelihood_start, report.log_likelihood
    );
    let mut fit_info = toml::Table::new();
    fit_info.insert("command".into(), "make fit".into());
    fit_info
        .insert("gold".into(), toml::Value::Array(args.gold.iter().map(|p| p.display().to_string().into()).collect()));
    fit_info.insert("half".into(), i64::from(args.half).into());
    fit_info.insert("rows".into(), (report.rows as i64).into());
    fit_info.insert("none_right".into(), (report.none_right as i64).into());
    fit_info.insert("l2".into(), report.l2.into());
    fit_info.insert("alternatives_right".into(), (!args.strict).into());
    fit_info.insert("iterations".into(), (report.iterations as i64).into());
    fit_info.insert("log_likelihood".into(), ((report.log_likelihood * 1e4).round() / 1e4).into());
    let file = FusionFile { weights: fusion.to_weights(), fit: Some(fit_info) };
    let text = format!(
        "# Evidence fusion weights (crates/zhiye-text/src/fusion.rs), written by `zhiye fit` (make fit): a candidate's\n\
         # score is the weighted sum of its evidence; confidences are a softmax over every candidate and \"none\".\n{}",
        toml::to_string(&file)?
    );
    debug_assert_eq!(Fusion::from_toml(&text, std::path::Path::new("fitted"))?, fusion);
    match &args.out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}
