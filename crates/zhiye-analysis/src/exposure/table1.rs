//! [`Table1`]: the paper's Table 1, summary statistics of the scores by model
//! and the correlations between models, at the fine and medium levels.

use std::collections::BTreeMap;

use serde::Serialize;
use zhiye_core::{Level, OcdCode};

use super::ExposureScores;
use crate::stats::{Correlation, mean, pearson, std_dev};
use crate::table::{Cell, Table};

/// The name of the across-model average series in [`Table1`].
pub const AVERAGE: &str = "average";

/// Count, mean and sample standard deviation of one series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesSummary {
    /// Model name, or [`AVERAGE`].
    pub series: String,
    /// Number of scored classes.
    pub n: usize,
    /// Mean score.
    pub mean: Option<f64>,
    /// Sample standard deviation (ddof = 1).
    pub std: Option<f64>,
}

/// Pearson correlation between two series over the classes both scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesCorrelation {
    /// First series.
    pub a: String,
    /// Second series.
    pub b: String,
    /// Number of classes both scored.
    pub n: usize,
    /// The correlation; `None` when undefined (fewer than three classes, a constant series).
    pub correlation: Option<Correlation>,
}

/// Table 1 at one level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table1Panel {
    /// The level ([`Level::Fine`] = occupations).
    #[serde(serialize_with = "crate::serialize::level")]
    pub level: Level,
    /// One summary per model, then the average.
    pub summaries: Vec<SeriesSummary>,
    /// Every pair of series, models first, each model also against the average.
    pub correlations: Vec<SeriesCorrelation>,
}

/// The paper's Table 1: a panel for occupations and one for medium classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table1 {
    /// Panels, fine level first.
    pub panels: Vec<Table1Panel>,
}

impl Table1 {
    /// Computes the fine and medium panels.
    pub fn compute(scores: &ExposureScores) -> Table1 {
        Table1 { panels: [Level::Fine, Level::Medium].map(|l| Table1Panel::compute(scores, l)).to_vec() }
    }

    /// Summary statistics: `level, series, n, mean, std`.
    pub fn summary_table(&self) -> Table {
        let mut t = Table::new(["level", "series", "n", "mean", "std"]);
        for p in &self.panels {
            for s in &p.summaries {
                t.push(vec![p.level.name().into(), s.series.clone().into(), s.n.into(), s.mean.into(), s.std.into()]);
            }
        }
        t
    }

    /// Correlations: `level, a, b, n, r, p, stars`.
    pub fn correlation_table(&self) -> Table {
        let mut t = Table::new(["level", "a", "b", "n", "r", "p", "stars"]);
        for p in &self.panels {
            for c in &p.correlations {
                let (r, pv, stars) = match &c.correlation {
                    Some(k) => (Cell::from(k.r), Cell::from(k.p), Cell::from(k.stars())),
                    None => (Cell::Empty, Cell::Empty, Cell::Empty),
                };
                t.push(vec![p.level.name().into(), c.a.clone().into(), c.b.clone().into(), c.n.into(), r, pv, stars]);
            }
        }
        t
    }
}

impl Table1Panel {
    /// Computes one panel.
    pub fn compute(scores: &ExposureScores, level: Level) -> Table1Panel {
        let mut series: Vec<(String, BTreeMap<OcdCode, f64>)> =
            scores.models().iter().map(|m| (m.clone(), scores.model_scores(level, m))).collect();
        series.push((AVERAGE.to_string(), scores.scores(level)));
        let summaries = series
            .iter()
            .map(|(name, map)| {
                let values: Vec<f64> = map.values().copied().collect();
                SeriesSummary { series: name.clone(), n: values.len(), mean: mean(&values), std: std_dev(&values) }
            })
            .collect();
        let mut correlations = Vec::new();
        for (i, (a, ma)) in series.iter().enumerate() {
            for (b, mb) in &series[i + 1..] {
                let (x, y): (Vec<f64>, Vec<f64>) =
                    ma.iter().filter_map(|(code, va)| Some((*va, *mb.get(code)?))).unzip();
                correlations.push(SeriesCorrelation {
                    a: a.clone(),
                    b: b.clone(),
                    n: x.len(),
                    correlation: pearson(&x, &y),
                });
            }
        }
        Table1Panel { level, summaries, correlations }
    }
}
