//! [`relate`]: exposure against an outcome across occupations (wages, the
//! experience premium, vacancy shares, share growth).

use serde::Serialize;
use zhiye_core::{Level, OcdCode};

use crate::stats::{Correlation, Fit, pearson, spearman, wls};
use crate::table::{Cell, Table};

/// One class in a [`Relation`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RelationPoint {
    /// The class.
    #[serde(serialize_with = "crate::serialize::code")]
    pub code: OcdCode,
    /// Its exposure score.
    pub exposure: f64,
    /// Its outcome (e.g. log mean wage).
    pub outcome: f64,
    /// Its regression weight (e.g. postings).
    pub weight: f64,
}

/// Exposure against an outcome: correlations, a weighted fit and the points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Relation {
    /// What the outcome is, e.g. `log_wage`.
    pub name: String,
    /// Number of points used.
    pub n: usize,
    /// Points left out for a non-finite value or a negative weight.
    pub dropped: usize,
    /// Unweighted Pearson correlation of exposure and outcome.
    pub pearson: Option<Correlation>,
    /// Unweighted Spearman correlation.
    pub spearman: Option<Correlation>,
    /// Weighted least squares of outcome on exposure (zero weights drop out).
    pub fit: Option<Fit>,
    /// The points used, for a scatter plot.
    pub points: Vec<RelationPoint>,
}

/// Relates exposure to an outcome over `(code, exposure, outcome, weight)`
/// points: Pearson and Spearman correlations (unweighted) and the weighted
/// least-squares fit `outcome = a + b · exposure`. Points with a non-finite
/// value or a negative weight are dropped and counted.
pub fn relate(name: &str, points: &[(OcdCode, f64, f64, f64)]) -> Relation {
    let kept: Vec<RelationPoint> = points
        .iter()
        .filter(|(_, e, o, w)| e.is_finite() && o.is_finite() && w.is_finite() && *w >= 0.0)
        .map(|&(code, exposure, outcome, weight)| RelationPoint { code, exposure, outcome, weight })
        .collect();
    let x: Vec<f64> = kept.iter().map(|p| p.exposure).collect();
    let y: Vec<f64> = kept.iter().map(|p| p.outcome).collect();
    let w: Vec<f64> = kept.iter().map(|p| p.weight).collect();
    Relation {
        name: name.to_string(),
        n: kept.len(),
        dropped: points.len() - kept.len(),
        pearson: pearson(&x, &y),
        spearman: spearman(&x, &y),
        fit: wls(&x, &y, &w),
        points: kept,
    }
}

impl Relation {
    /// One summary row per relation: `outcome, n, dropped, pearson_r,
    /// pearson_p, pearson_stars, spearman_r, spearman_p, spearman_stars,
    /// slope, slope_se, slope_p, slope_stars, intercept, r2`.
    pub fn summary_table(relations: &[Relation]) -> Table {
        let mut t = Table::new([
            "outcome",
            "n",
            "dropped",
            "pearson_r",
            "pearson_p",
            "pearson_stars",
            "spearman_r",
            "spearman_p",
            "spearman_stars",
            "slope",
            "slope_se",
            "slope_p",
            "slope_stars",
            "intercept",
            "r2",
        ]);
        for r in relations {
            let mut row: Vec<Cell> = vec![r.name.clone().into(), r.n.into(), r.dropped.into()];
            for c in [&r.pearson, &r.spearman] {
                match c {
                    Some(c) => row.extend([c.r.into(), c.p.into(), c.stars().into()]),
                    None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
                }
            }
            match &r.fit {
                Some(f) => row.extend([
                    f.slope.into(),
                    f.slope_se.into(),
                    f.slope_p().into(),
                    crate::stats::stars(f.slope_p()).into(),
                    f.intercept.into(),
                    f.r2.into(),
                ]),
                None => row.extend(std::iter::repeat_n(Cell::Empty, 6)),
            }
            t.push(row);
        }
        t
    }

    /// The points: `code, exposure, outcome, weight`; codes written at `level`'s depth.
    pub fn points_table(&self, level: Level) -> Table {
        let mut t = Table::new(["code", "exposure", "outcome", "weight"]);
        for p in &self.points {
            t.push(vec![p.code.written_at(level).into(), p.exposure.into(), p.outcome.into(), p.weight.into()]);
        }
        t
    }
}
