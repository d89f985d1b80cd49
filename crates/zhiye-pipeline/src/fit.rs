//! Fitting the evidence fusion ([`zhiye_text::Fusion`]) on gold rows.
//!
//! The model is a conditional logit: each row's candidates (every occupation
//! the classifier would rank) score `w · features`, a "none of these" option
//! scores `none`, and the probabilities are their softmax. The likelihood of a
//! row is the probability of its right answers: the gold code and the
//! labeller's alternative, or "none" when neither is a candidate (or the gold
//! says no occupation). [`fit`] maximises the mean log-likelihood with a small
//! L2 penalty on `w` by full-batch gradient ascent (Adam) from the shipped
//! weights: deterministic, so `zhiye fit` reproduces `config/fusion.toml`.

use rayon::prelude::*;
use serde::Serialize;
use zhiye_core::Taxonomy;
use zhiye_text::{Classifier, FEATURES, Fusion, Scratch};

use crate::eval::GoldRow;

/// Where fitting starts: the hand-set weights of the first cut (rule, exact,
/// match, similarity bonuses 5, 3, 1, 2; description 0.3; prior 0.1; all
/// times the old softmax sharpness 2; none 1 × 2).
/// Learned description evidence (absent in the first cut) starts at 0.
pub const START: Fusion = Fusion { weights: [10.0, 6.0, 2.0, 4.0, 0.0, 2.0, 0.6, 0.0, 0.2, 0.0, 0.0], none: 2.0 };

/// One gold row's candidates: their evidence and whether each is right.
#[derive(Clone, Debug)]
pub struct FitRow {
    /// Evidence per candidate.
    pub features: Vec<[f32; FEATURES]>,
    /// Whether each candidate is the gold code or its alternative.
    pub right: Vec<bool>,
}

/// The candidates of the gold rows that can teach the fusion: rows whose gold
/// is an occupation (or `-`, no occupation, where "none" is right). Rows whose
/// gold is a coarser class are left out: no single candidate is right.
/// With `accept_alt`, the labeller's alternative is right too.
pub fn fit_rows(classifier: &Classifier, taxonomy: &Taxonomy, rows: &[&GoldRow], accept_alt: bool) -> Vec<FitRow> {
    let occupation = |c: zhiye_core::OcdCode| taxonomy.get(c).is_some_and(|c| c.occupation);
    rows.par_iter()
        .filter(|r| r.no_occupation || r.code.is_some_and(occupation))
        .map_init(Scratch::new, |s, r| {
            let mut row = FitRow { features: Vec::new(), right: Vec::new() };
            classifier.candidates(&r.title, r.description.as_deref(), s, |code, f| {
                row.features.push(*f);
                row.right.push(!r.no_occupation && (Some(code) == r.code || (accept_alt && Some(code) == r.alt)));
            });
            row
        })
        .collect()
}

/// What [`fit`] did.
#[derive(Clone, Debug, Serialize)]
pub struct FitReport {
    /// Rows fitted on.
    pub rows: usize,
    /// Of them, rows where "none" is the right answer.
    pub none_right: usize,
    /// Mean log-likelihood with the starting weights.
    pub log_likelihood_start: f64,
    /// Mean log-likelihood with the fitted weights.
    pub log_likelihood: f64,
    /// Gradient-ascent iterations.
    pub iterations: usize,
    /// L2 penalty on the feature weights.
    pub l2: f64,
}

/// Mean log-likelihood and its gradient (feature weights, then `none`).
fn objective(rows: &[FitRow], w: &[f64; FEATURES], none: f64) -> (f64, [f64; FEATURES + 1]) {
    // Sequential: a parallel sum's order, and so its rounding, varies between
    // runs, and a refit must reproduce the shipped file.
    let (ll, grad) = rows
        .iter()
        .map(|r| {
            let mut g = [0.0f64; FEATURES + 1];
            let scores: Vec<f64> =
                r.features.iter().map(|f| f.iter().zip(w).map(|(&x, &w)| f64::from(x) * w).sum()).collect();
            let top = scores.iter().copied().fold(none, f64::max);
            let z: f64 = (none - top).exp() + scores.iter().map(|s| (s - top).exp()).sum::<f64>();
            let any_right = r.right.iter().any(|&b| b);
            let zr: f64 = if any_right {
                scores.iter().zip(&r.right).filter(|(_, b)| **b).map(|(s, _)| (s - top).exp()).sum()
            } else {
                (none - top).exp()
            };
            for ((f, s), &right) in r.features.iter().zip(&scores).zip(&r.right) {
                let e = (s - top).exp();
                let coef = if right { e / zr } else { 0.0 } - e / z;
                for (gk, &x) in g.iter_mut().zip(f) {
                    *gk += coef * f64::from(x);
                }
            }
            let en = (none - top).exp();
            g[FEATURES] = if any_right { 0.0 } else { en / zr } - en / z;
            (zr.ln() - z.ln(), g)
        })
        .fold((0.0, [0.0; FEATURES + 1]), |(a, mut ga), (b, gb)| {
            for (x, y) in ga.iter_mut().zip(gb) {
                *x += y;
            }
            (a + b, ga)
        });
    let n = rows.len().max(1) as f64;
    (ll / n, grad.map(|g| g / n))
}

/// Fits the fusion on `rows` from `start`: maximises the mean log-likelihood
/// minus `l2 / 2 · |w|²` by `iterations` steps of Adam.
pub fn fit(rows: &[FitRow], start: &Fusion, l2: f64, iterations: usize) -> (Fusion, FitReport) {
    let mut w: [f64; FEATURES] = start.weights.map(f64::from);
    let mut none = f64::from(start.none);
    let (ll0, _) = objective(rows, &w, none);
    let (lr, b1, b2, eps) = (0.05, 0.9, 0.999, 1e-8);
    let mut m = [0.0f64; FEATURES + 1];
    let mut v = [0.0f64; FEATURES + 1];
    for t in 1..=iterations {
        let (_, mut g) = objective(rows, &w, none);
        for k in 0..FEATURES {
            g[k] -= l2 * w[k];
        }
        for k in 0..=FEATURES {
            m[k] = b1 * m[k] + (1.0 - b1) * g[k];
            v[k] = b2 * v[k] + (1.0 - b2) * g[k] * g[k];
            let step = lr * (m[k] / (1.0 - b1.powi(t as i32))) / ((v[k] / (1.0 - b2.powi(t as i32))).sqrt() + eps);
            if k < FEATURES {
                w[k] += step;
            } else {
                none += step;
            }
        }
    }
    let (ll, _) = objective(rows, &w, none);
    // Rounded so the file reads well and refits reproduce it exactly.
    let round = |x: f64| ((x * 1e4).round() / 1e4) as f32;
    let fusion = Fusion { weights: w.map(round), none: round(none) };
    let report = FitReport {
        rows: rows.len(),
        none_right: rows.iter().filter(|r| !r.right.iter().any(|&b| b)).count(),
        log_likelihood_start: ll0,
        log_likelihood: ll,
        iterations,
        l2,
    };
    (fusion, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(features: &[[f32; FEATURES]], right: &[bool]) -> FitRow {
        FitRow { features: features.to_vec(), right: right.to_vec() }
    }

    /// The analytic gradient agrees with finite differences.
    #[test]
    fn gradient_matches_finite_differences() {
        let mut a = [0.0; FEATURES];
        let mut b = [0.0; FEATURES];
        a[0] = 1.0;
        a[4] = 0.3;
        b[3] = 0.8;
        b[4] = 1.0;
        let rows = vec![row(&[a, b], &[true, false]), row(&[a, b], &[false, false]), row(&[b], &[true])];
        let w = [0.5, 0.1, 0.2, 0.7, 0.6, 1.1, 0.0, 0.3, 0.2, 0.4, 0.1];
        let none = 0.4;
        let (_, g) = objective(&rows, &w, none);
        let h = 1e-6;
        for k in 0..=FEATURES {
            let (mut wp, mut np) = (w, none);
            let (mut wm, mut nm) = (w, none);
            if k < FEATURES {
                wp[k] += h;
                wm[k] -= h;
            } else {
                np += h;
                nm -= h;
            }
            let numeric = (objective(&rows, &wp, np).0 - objective(&rows, &wm, nm).0) / (2.0 * h);
            assert!((numeric - g[k]).abs() < 1e-6, "feature {k}: {numeric} vs {}", g[k]);
        }
    }

    /// Fitting raises the likelihood and learns which feature marks the right candidate.
    #[test]
    fn fit_learns_the_informative_feature() {
        let mut good = [0.0; FEATURES];
        let mut bad = [0.0; FEATURES];
        good[3] = 1.0; // similarity marks the right one
        bad[4] = 1.0; // title BM25 marks a wrong one
        let rows: Vec<FitRow> = (0..50).map(|_| row(&[good, bad], &[true, false])).collect();
        let start = Fusion { weights: [0.0; FEATURES], none: 0.0 };
        let (f, report) = fit(&rows, &start, 1e-3, 500);
        assert!(report.log_likelihood > report.log_likelihood_start);
        assert!(f.weights[3] > f.weights[4] + 1.0, "{f:?}");
    }
}
