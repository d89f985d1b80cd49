//! Pearson and Spearman correlations with Student-t p-values, and significance stars.

use serde::Serialize;

use super::{all_finite, student_t_two_sided_p};

/// A correlation coefficient with its two-sided p-value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Correlation {
    /// Number of pairs.
    pub n: usize,
    /// The coefficient, in `[-1, 1]`.
    pub r: f64,
    /// Two-sided p-value of `t = r √((n − 2) / (1 − r²))` with `n − 2` degrees
    /// of freedom (0 when `|r| = 1`).
    pub p: f64,
}

impl Correlation {
    /// Significance stars of [`Correlation::p`], see [`stars`].
    pub fn stars(&self) -> &'static str {
        stars(self.p)
    }

    /// `r` with its stars, e.g. `0.512***`, as tables print it.
    pub fn display(&self, decimals: usize) -> String {
        format!("{:.*}{}", decimals, self.r, self.stars())
    }
}

/// Pearson correlation of paired values; `None` if the lengths differ, fewer
/// than three pairs, a non-finite value, or either variable is constant.
///
/// The p-value is the t-test with `n − 2` degrees of freedom, identical to
/// `scipy.stats.pearsonr`'s exact test under normality.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let n = x.len();
    if n != y.len() || n < 3 || !all_finite(x) || !all_finite(y) {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    // Rounding can push |r| a hair past 1.
    let r = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    Some(Correlation { n, r, p: t_test_p(r, n) })
}

/// Spearman rank correlation: Pearson correlation of the average ranks (ties
/// share the mean of the ranks they span), with the same t approximation for
/// the p-value as `scipy.stats.spearmanr`. `None` as for [`pearson`].
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Correlation> {
    if x.len() != y.len() || !all_finite(x) || !all_finite(y) {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// 1-based ranks with ties averaged (`scipy.stats.rankdata(method="average")`).
pub fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut out = vec![0.0; xs.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && xs[order[end]] == xs[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean is (start+1+end)/2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

fn t_test_p(r: f64, n: usize) -> f64 {
    let df = (n - 2) as f64;
    let denom = 1.0 - r * r;
    if denom <= 0.0 {
        return 0.0;
    }
    student_t_two_sided_p(r * (df / denom).sqrt(), df)
}

/// Significance stars in the economics convention: `***` for p < 0.01, `**`
/// for p < 0.05, `*` for p < 0.1, and an empty string otherwise (also for NaN).
pub fn stars(p: f64) -> &'static str {
    if p < 0.01 {
        "***"
    } else if p < 0.05 {
        "**"
    } else if p < 0.1 {
        "*"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: [f64; 10] = [1.2, 2.4, 3.1, 4.8, 5.0, 6.7, 7.7, 8.1, 9.9, 10.3];
    const Y: [f64; 10] = [2.0, 1.9, 3.5, 4.0, 6.1, 5.8, 7.9, 7.0, 8.8, 12.0];
    const XT: [f64; 10] = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 4.0, 5.0, 6.0, 7.0];
    const YT: [f64; 10] = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn pearson_matches_scipy_and_textbook_formula() {
        // scipy.stats.pearsonr(X, Y) = (0.9497640284489901, 2.621880392900438e-05).
        let c = pearson(&X, &Y).unwrap();
        assert_eq!(c.n, 10);
        assert!(close(c.r, 0.9497640284489901) && close(c.p, 2.621880392900438e-05), "{c:?}");
        // Independent one-pass formula: (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)).
        let n = X.len() as f64;
        let (sx, sy) = (X.iter().sum::<f64>(), Y.iter().sum::<f64>());
        let sxy: f64 = X.iter().zip(&Y).map(|(a, b)| a * b).sum();
        let sxx: f64 = X.iter().map(|a| a * a).sum();
        let syy: f64 = Y.iter().map(|a| a * a).sum();
        let naive = (n * sxy - sx * sy) / ((n * sxx - sx * sx) * (n * syy - sy * sy)).sqrt();
        assert!((c.r - naive).abs() < 1e-12);
        // scipy.stats.pearsonr(XT, YT) = (0.3073125215676145, 0.38772484229764537).
        let c = pearson(&XT, &YT).unwrap();
        assert!(close(c.r, 0.3073125215676145) && close(c.p, 0.38772484229764537), "{c:?}");
    }

    #[test]
    fn spearman_matches_scipy_with_ties() {
        assert_eq!(ranks(&XT), [1.0, 2.5, 2.5, 4.0, 6.0, 6.0, 6.0, 8.0, 9.0, 10.0]);
        // scipy.stats.spearmanr(XT, YT) = (0.42547404571870995, 0.22025108522647133).
        let c = spearman(&XT, &YT).unwrap();
        assert!(close(c.r, 0.42547404571870995) && close(c.p, 0.22025108522647133), "{c:?}");
    }

    #[test]
    fn undefined_correlations_are_none() {
        assert!(pearson(&[1.0, 2.0], &[1.0, 2.0]).is_none());
        assert!(pearson(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]).is_none());
        assert!(pearson(&[1.0, 2.0, 3.0], &[1.0, 2.0]).is_none());
        assert!(spearman(&[1.0, f64::NAN, 3.0], &[1.0, 2.0, 3.0]).is_none());
        let perfect = pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap();
        assert_eq!((perfect.r, perfect.p), (1.0, 0.0));
        let near = pearson(&[0.1, 0.2, 0.3, 0.7], &[0.3, 0.6, 0.9, 2.1]).unwrap();
        assert!((near.r - 1.0).abs() < 1e-12 && near.p < 1e-6 && !near.p.is_nan(), "{near:?}");
    }

    #[test]
    fn stars_follow_economics_convention() {
        assert_eq!([0.001, 0.01, 0.049, 0.05, 0.099, 0.1, f64::NAN].map(stars), ["***", "**", "**", "*", "*", "", ""]);
        let c = Correlation { n: 5, r: 0.5124, p: 0.003 };
        assert_eq!(c.display(3), "0.512***");
    }
}
