//! Ordinary and weighted least squares of one regressor with an intercept.

use serde::Serialize;

use super::{all_finite, student_t_two_sided_p};

/// A straight-line fit `y = intercept + slope · x`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Fit {
    /// Number of points with a positive weight.
    pub n: usize,
    /// Intercept.
    pub intercept: f64,
    /// Slope.
    pub slope: f64,
    /// Conventional (non-robust) standard error of the slope:
    /// `√(σ² / Σwᵢ(xᵢ − x̄_w)²)` with `σ² = Σwᵢeᵢ² / (n − 2)`, the slope entry of
    /// `σ²(X'WX)⁻¹`.
    pub slope_se: f64,
    /// Weighted R²: `1 − Σwᵢeᵢ² / Σwᵢ(yᵢ − ȳ_w)²`.
    pub r2: f64,
}

impl Fit {
    /// Two-sided p-value of the slope's t statistic `slope / slope_se` with
    /// `n − 2` degrees of freedom (0 for a perfect fit).
    pub fn slope_p(&self) -> f64 {
        student_t_two_sided_p(self.slope / self.slope_se, (self.n - 2) as f64)
    }
}

/// Ordinary least squares: [`wls`] with unit weights.
pub fn ols(x: &[f64], y: &[f64]) -> Option<Fit> {
    wls(x, y, &vec![1.0; x.len()])
}

/// Weighted least squares of `y` on `x` and an intercept, minimising
/// `Σ wᵢ(yᵢ − a − b xᵢ)²`.
///
/// Points with zero weight carry no information and are left out, also from
/// `n` and the degrees of freedom. `None` if the lengths differ, a value is
/// not finite, a weight is negative, fewer than three points have a positive
/// weight, or `x` or `y` has zero weighted variance.
pub fn wls(x: &[f64], y: &[f64], w: &[f64]) -> Option<Fit> {
    if x.len() != y.len() || x.len() != w.len() || !all_finite(x) || !all_finite(y) || !all_finite(w) {
        return None;
    }
    if w.iter().any(|&wi| wi < 0.0) {
        return None;
    }
    let n = w.iter().filter(|&&wi| wi > 0.0).count();
    if n < 3 {
        return None;
    }
    let sw: f64 = w.iter().sum();
    let mx = x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / sw;
    let my = y.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / sw;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for ((xi, yi), wi) in x.iter().zip(y).zip(w) {
        let (dx, dy) = (xi - mx, yi - my);
        sxx += wi * dx * dx;
        sxy += wi * dx * dy;
        syy += wi * dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = x.iter().zip(y).zip(w).map(|((xi, yi), wi)| wi * (yi - intercept - slope * xi).powi(2)).sum();
    let sigma2 = sse / (n - 2) as f64;
    Some(Fit { n, intercept, slope, slope_se: (sigma2 / sxx).sqrt(), r2: 1.0 - sse / syy })
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: [f64; 10] = [1.2, 2.4, 3.1, 4.8, 5.0, 6.7, 7.7, 8.1, 9.9, 10.3];
    const Y: [f64; 10] = [2.0, 1.9, 3.5, 4.0, 6.1, 5.8, 7.9, 7.0, 8.8, 12.0];
    const W: [f64; 10] = [1.0, 2.0, 0.5, 3.0, 1.0, 1.0, 2.0, 4.0, 0.5, 1.0];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn ols_matches_scipy_linregress() {
        // scipy.stats.linregress(X, Y): intercept 0.17689519235126316, slope 0.9667406769676921,
        // stderr 0.11262834741901923, rvalue² 0.9020517097356533.
        let f = ols(&X, &Y).unwrap();
        assert_eq!(f.n, 10);
        assert!(close(f.intercept, 0.17689519235126316) && close(f.slope, 0.9667406769676921), "{f:?}");
        assert!(close(f.slope_se, 0.11262834741901923) && close(f.r2, 0.9020517097356533), "{f:?}");
        // linregress' pvalue equals pearsonr's: 2.621880392900438e-05.
        assert!(close(f.slope_p(), 2.621880392900438e-05));
    }

    #[test]
    fn wls_matches_normal_equations() {
        // numpy: b = solve(X'WX, X'Wy), se = √(σ²[(X'WX)⁻¹]₁₁), σ² = Σwe²/(n − 2).
        let f = wls(&X, &Y, &W).unwrap();
        assert!(close(f.intercept, -0.1571435157172892) && close(f.slope, 0.97377762411041), "{f:?}");
        assert!(close(f.slope_se, 0.11714231482458064) && close(f.r2, 0.8962416340705764), "{f:?}");
        // Independently: the 2×2 normal equations solved by Cramer's rule.
        let s = |g: &dyn Fn(usize) -> f64| (0..X.len()).map(g).sum::<f64>();
        let (s0, s1, s2) = (s(&|i| W[i]), s(&|i| W[i] * X[i]), s(&|i| W[i] * X[i] * X[i]));
        let (t0, t1) = (s(&|i| W[i] * Y[i]), s(&|i| W[i] * X[i] * Y[i]));
        let det = s0 * s2 - s1 * s1;
        assert!((f.slope - (s0 * t1 - s1 * t0) / det).abs() < 1e-12);
        assert!((f.intercept - (s2 * t0 - s1 * t1) / det).abs() < 1e-12);
        let sse = s(&|i| W[i] * (Y[i] - f.intercept - f.slope * X[i]).powi(2));
        assert!((f.slope_se - (sse / 8.0 * s0 / det).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn zero_weights_drop_out_and_degenerate_fits_are_none() {
        let mut x = X.to_vec();
        let mut y = Y.to_vec();
        let mut w = vec![1.0; 10];
        x.push(100.0);
        y.push(-50.0);
        w.push(0.0);
        let f = wls(&x, &y, &w).unwrap();
        let o = ols(&X, &Y).unwrap();
        assert_eq!(f.n, 10);
        assert!((f.slope - o.slope).abs() < 1e-12 && (f.slope_se - o.slope_se).abs() < 1e-12);
        assert!(ols(&[1.0, 2.0], &[1.0, 2.0]).is_none());
        assert!(ols(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_none());
        assert!(wls(&X, &Y, &[-1.0; 10]).is_none());
        assert!(ols(&[1.0, 2.0, f64::INFINITY], &[1.0, 2.0, 3.0]).is_none());
    }
}
