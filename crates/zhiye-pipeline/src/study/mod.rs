//! The paper's analyses over the published tables: exposure scores from E0–E3
//! labels (with Table 1 and the comparisons with expert and external
//! scores), exposure against wages, the experience premium, vacancy shares
//! and share growth at the medium level, and industry, demographic and
//! task-group exposure.
//!
//! Everything is read from the files in the output folder, so `zhiye report`
//! can redo it without rerunning the classification.

mod inputs;
mod report;

use std::path::{Path, PathBuf};

use zhiye_analysis::Table;
use zhiye_analysis::analyses::{
    GroupExposure, IndustryExposure, IndustryWeight, Relation, TaskGroupExposure, demographic_exposure, group_table,
    industry_exposure, industry_table, read_group_industry, read_occupation_industry, read_task_groups, relate,
    task_group_exposure, task_group_table,
};
use zhiye_analysis::exposure::{
    Comparison, ExposureOptions, ExposureScores, ExternalComparison, ExternalTable, LabelSet, Table1,
};
use zhiye_core::{Config, Level, OcdCode, Taxonomy};

use crate::{PipelineError, Result};
pub use inputs::{SummaryRow, read_industry_weights, read_summary, read_table};
pub use report::write_report;

/// Models and runs of the synthetic labels.
const SYNTHETIC_MODELS: [&str; 3] = ["model-a", "model-b", "model-c"];
const SYNTHETIC_RUNS: u32 = 8;

/// The results of the analyses.
#[derive(Debug)]
pub struct Study {
    /// The labels file read.
    pub labels: PathBuf,
    /// Whether the labels were generated (SYNTHETIC).
    pub synthetic_labels: bool,
    /// The exposure scores at every level.
    pub scores: ExposureScores,
    /// The paper's Table 1.
    pub table1: Table1,
    /// Expert scores against the LLM scores at the medium level (Fig. 1).
    pub expert: Option<Comparison>,
    /// External exposure tables against the LLM scores, by file name.
    pub external: Vec<(String, ExternalComparison)>,
    /// Exposure against log wage, the experience premium, the vacancy share
    /// and its growth, at the medium level.
    pub relations: Vec<Relation>,
    /// Industry exposure (Fig. 6) and where its intensities came from.
    pub industries: Vec<IndustryExposure>,
    /// `postings` or the supplied matrix's path.
    pub industry_source: String,
    /// Group (e.g. age) exposure (Fig. 7).
    pub groups: Option<Vec<GroupExposure>>,
    /// Composite task-group exposure (Fig. 5).
    pub task_groups: Option<Vec<TaskGroupExposure>>,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

fn set(p: &Path) -> Option<&Path> {
    (!p.as_os_str().is_empty()).then_some(p)
}

/// Makes sure the labels file exists, writing synthetic labels when allowed;
/// returns whether the labels are synthetic.
fn ensure_labels(config: &Config, taxonomy: &Taxonomy, labels_path: &Path) -> Result<bool> {
    if labels_path.exists() {
        return Ok(is_synthetic(labels_path));
    }
    if !config.exposure.synthetic_labels {
        return Err(PipelineError::Input {
            path: labels_path.into(),
            row: 0,
            field: String::new(),
            message: "labels file not found (and exposure.synthetic_labels is false)".into(),
        });
    }
    zhiye_synth::write_synthetic_labels(taxonomy, &SYNTHETIC_MODELS, SYNTHETIC_RUNS, config.corpus.seed, labels_path)
        .map_err(PipelineError::write(labels_path))?;
    Ok(true)
}

/// Scores exposure and runs every configured analysis over the tables in
/// `out` (written by `zhiye run`); writes the result tables there. `None`
/// when no labels are configured.
pub fn run_study(config: &Config, taxonomy: &Taxonomy, out: &Path) -> Result<Option<Study>> {
    let e = &config.exposure;
    let Some(labels_path) = set(&e.labels) else { return Ok(None) };
    let synthetic = ensure_labels(config, taxonomy, labels_path)?;
    let labels = LabelSet::read(labels_path, taxonomy)?;
    let scores = ExposureScores::compute(&labels, &ExposureOptions::excluding(e.exclude_large.iter().copied()));
    let table1 = Table1::compute(&scores);
    let mut outputs = write_exposure_tables(&scores, &table1, out)?;
    let mut write = |name: &str, table: &Table| -> Result<()> {
        outputs.push(write_csv(out, name, table)?);
        Ok(())
    };

    let expert = match set(&e.expert_medium) {
        Some(p) => {
            let t = ExternalTable::read_expert_medium(p)?;
            let c = Comparison::new(Level::Medium, &scores.scores(Level::Medium), &t.at_medium());
            write("exposure_expert_medium", &c.points_table())?;
            Some(c)
        }
        None => None,
    };
    let mut external = Vec::new();
    for p in &e.external {
        let t = if p.extension().is_some_and(|x| x == "json") {
            ExternalTable::read_site_json(p)
        } else {
            ExternalTable::read_csv(p, &Default::default())
        }?;
        let c = t.compare(&scores);
        let stem = p.file_stem().map_or_else(String::new, |s| s.to_string_lossy().replace('.', "_"));
        write(&format!("exposure_external_{stem}"), &c.summary_table())?;
        external.push((p.display().to_string(), c));
    }

    let summary = read_summary(out)?;
    let relations = relations(&summary, &scores);
    write("analysis_relations", &Relation::summary_table(&relations))?;
    for r in &relations {
        write(&format!("analysis_points_{}", r.name), &r.points_table(Level::Medium))?;
    }

    let (weights, industry_source) = match set(&e.occupation_industry) {
        Some(p) => (read_occupation_industry(p)?, p.display().to_string()),
        None => (read_industry_weights(out)?, "postings".to_string()),
    };
    let industries = industry_exposure(&weights, &scores.scores(Level::Fine), join_level(&weights))?;
    write("analysis_industry_exposure", &industry_table(&industries))?;
    let groups = match set(&e.group_industry) {
        Some(p) => {
            let rows = read_group_industry(p)?;
            let g = demographic_exposure(&rows, &industries)?;
            write("analysis_group_exposure", &group_table(&g))?;
            Some(g)
        }
        None => None,
    };
    let task_groups = match set(&e.task_groups) {
        Some(p) => {
            let members = read_task_groups(p)?;
            let g = task_group_exposure(&members, &scores);
            write("analysis_task_group_exposure", &task_group_table(&g))?;
            Some(g)
        }
        None => None,
    };
    Ok(Some(Study {
        labels: labels_path.into(),
        synthetic_labels: synthetic,
        scores,
        table1,
        expert,
        external,
        relations,
        industries,
        industry_source,
        groups,
        task_groups,
        outputs,
    }))
}

/// Writes `exposure_{fine,small,medium,large}.csv`, `table1_summary.csv` and
/// `table1_correlations.csv` under `out`.
pub fn write_exposure_tables(scores: &ExposureScores, table1: &Table1, out: &Path) -> Result<Vec<PathBuf>> {
    let mut outputs = Vec::new();
    for level in Level::ALL {
        outputs.push(write_csv(out, &format!("exposure_{}", level.name()), &scores.to_table(level))?);
    }
    outputs.push(write_csv(out, "table1_summary", &table1.summary_table())?);
    outputs.push(write_csv(out, "table1_correlations", &table1.correlation_table())?);
    Ok(outputs)
}

/// Labels written by [`zhiye_synth::write_synthetic_labels`] use its model
/// names (only the first data row is read).
fn is_synthetic(path: &Path) -> bool {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else { return false };
    std::io::BufReader::new(file).lines().nth(1).is_some_and(|l| l.is_ok_and(|l| l.contains(",model-a,")))
}

/// Supplied intensities may be coarser than fine: join at the finest level every row has.
fn join_level(weights: &[IndustryWeight]) -> Level {
    weights.iter().map(|w| w.level).min().unwrap_or(Level::Fine).max(Level::Medium).min(Level::Fine)
}

/// The four relations of the paper at the medium level: log mean wage
/// (Fig. 3, weighted by vacancies), the experience premium (Fig. 4, by its
/// observations), the vacancy share in % (Fig. 8, unweighted) and its
/// compound annual growth in % (Fig. 9, by vacancies).
fn relations(summary: &[SummaryRow], scores: &ExposureScores) -> Vec<Relation> {
    let medium = scores.scores(Level::Medium);
    let rows: Vec<(OcdCode, f64, &SummaryRow)> = summary
        .iter()
        .filter(|r| r.level == Level::Medium)
        .filter_map(|r| medium.get(&r.code).map(|&e| (r.code, e, r)))
        .collect();
    let points = |f: &dyn Fn(&SummaryRow) -> Option<(f64, f64)>| -> Vec<(OcdCode, f64, f64, f64)> {
        rows.iter().filter_map(|&(c, e, r)| f(r).map(|(y, w)| (c, e, y, w))).collect()
    };
    vec![
        relate("log_wage", &points(&|r| r.wage_mean.filter(|w| *w > 0.0).map(|w| (w.ln(), r.vacancies as f64)))),
        relate("experience_premium", &points(&|r| r.premium_slope.map(|b| (b, r.premium_n.unwrap_or(0) as f64)))),
        relate("vacancy_share_pct", &points(&|r| Some((r.vacancy_share * 100.0, 1.0)))),
        relate("share_cagr_pct", &points(&|r| r.share_cagr.map(|g| (g * 100.0, r.vacancies as f64)))),
    ]
}

/// Writes `out/NAME.csv` atomically.
pub(crate) fn write_csv(out: &Path, name: &str, table: &Table) -> Result<PathBuf> {
    let path = out.join(format!("{name}.csv"));
    zhiye_core::fs::write_atomic_with(&path, |w| table.write_csv(w)).map_err(PipelineError::write(&path))?;
    Ok(path)
}
