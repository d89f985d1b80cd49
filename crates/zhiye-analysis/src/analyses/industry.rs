//! [`industry_exposure`]: the exposure of each industry as the
//! weight-averaged exposure of its occupations (the paper's Fig. 6).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use zhiye_core::{Level, OcdCode};

use crate::input::CsvInput;
use crate::table::Table;
use crate::{Error, Result};

/// How much of an industry's employment or postings falls on one class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndustryWeight {
    /// The class.
    #[serde(serialize_with = "crate::serialize::code")]
    pub code: OcdCode,
    /// The level `code` is meant at: [`Level::Fine`] for occupations
    /// (including undivided small classes such as `2-03-01-00`).
    #[serde(serialize_with = "crate::serialize::level")]
    pub level: Level,
    /// The industry, e.g. a GB/T 4754 section letter or name.
    pub industry: String,
    /// The intensity weight (e.g. postings), ≥ 0.
    pub weight: f64,
}

/// Reads a CSV file with columns `code` (any level, by depth: `2-02`,
/// `2-02-10`, `2-02-10-01`), `industry` (text) and `weight` (number ≥ 0).
/// Repeated `(code, industry)` rows are allowed and add up.
pub fn read_occupation_industry(path: impl AsRef<Path>) -> Result<Vec<IndustryWeight>> {
    let input = CsvInput::open(path.as_ref())?;
    let (code, industry, weight) = (input.column("code")?, input.column("industry")?, input.column("weight")?);
    let mut out = Vec::new();
    input.for_each_row(|r| {
        let text = r.text(code);
        let c = r.code(code)?;
        let level = Level::from_depth(text.split('-').count()).unwrap_or(c.level());
        out.push(IndustryWeight {
            code: c,
            level,
            industry: r.required(industry)?.to_string(),
            weight: r.non_negative(weight)?,
        });
        Ok(())
    })?;
    Ok(out)
}

/// The exposure of one industry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndustryExposure {
    /// The industry.
    pub industry: String,
    /// `Σ_o (w_o / Σ_o' w_o') · e_o` over the industry's classes with a score;
    /// `None` if none has a score or their weights sum to zero.
    pub exposure: Option<f64>,
    /// Total weight of the industry's rows.
    pub total_weight: f64,
    /// Weight on classes with a score.
    pub scored_weight: f64,
    /// Distinct classes (at the join level) in the industry.
    pub n_occupations: usize,
    /// Distinct classes with a score.
    pub n_scored: usize,
    /// Share of the weight on classes with a score; `None` for zero total weight.
    pub coverage: Option<f64>,
}

/// Industry exposure: for each industry `i`,
/// `Σ_o (w_{o,i} / Σ_o' w_{o',i}) × e_o`, where both sums run over the classes
/// that have a score, so the weights are renormalised over the scored part
/// (the scored share is [`IndustryExposure::coverage`]).
///
/// Each row's class is joined to `scores` at `join`: a finer code is truncated
/// to that level (an occupation `2-02-10-01` counts towards `2-02` when
/// `join` is [`Level::Medium`]); a coarser code cannot be joined and counts as
/// unscored. Industries come out in order of first appearance.
///
/// # Errors
/// [`Error::Input`] for a negative or non-finite weight.
pub fn industry_exposure(
    rows: &[IndustryWeight],
    scores: &BTreeMap<OcdCode, f64>,
    join: Level,
) -> Result<Vec<IndustryExposure>> {
    let mut order: Vec<&str> = Vec::new();
    let mut per: HashMap<&str, BTreeMap<Option<OcdCode>, f64>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if !r.weight.is_finite() || r.weight < 0.0 {
            return Err(Error::Input {
                context: format!("industry weights, item {} ({}, {})", i + 1, r.industry, r.code),
                message: format!("weight {} is not a finite number ≥ 0", r.weight),
            });
        }
        // `None` gathers codes coarser than the join level: they have no class at it.
        let key = (r.level >= join).then(|| r.code.truncate(join));
        let classes = per.entry(r.industry.as_str()).or_insert_with(|| {
            order.push(r.industry.as_str());
            BTreeMap::new()
        });
        *classes.entry(key).or_default() += r.weight;
    }
    Ok(order
        .into_iter()
        .map(|industry| {
            let classes = &per[industry];
            let (mut total, mut scored, mut weighted, mut n_occ, mut n_scored) = (0.0, 0.0, 0.0, 0, 0);
            for (key, w) in classes {
                total += w;
                let Some(code) = key else { continue };
                n_occ += 1;
                if let Some(e) = scores.get(code) {
                    n_scored += 1;
                    scored += w;
                    weighted += w * e;
                }
            }
            IndustryExposure {
                industry: industry.to_string(),
                exposure: (scored > 0.0).then(|| weighted / scored),
                total_weight: total,
                scored_weight: scored,
                n_occupations: n_occ,
                n_scored,
                coverage: (total > 0.0).then(|| scored / total),
            }
        })
        .collect())
}

/// Industry exposures as a table: `industry, exposure, total_weight,
/// scored_weight, coverage, n_occupations, n_scored`.
pub fn industry_table(rows: &[IndustryExposure]) -> Table {
    let mut t =
        Table::new(["industry", "exposure", "total_weight", "scored_weight", "coverage", "n_occupations", "n_scored"]);
    for r in rows {
        t.push(vec![
            r.industry.clone().into(),
            r.exposure.into(),
            r.total_weight.into(),
            r.scored_weight.into(),
            r.coverage.into(),
            r.n_occupations.into(),
            r.n_scored.into(),
        ]);
    }
    t
}
