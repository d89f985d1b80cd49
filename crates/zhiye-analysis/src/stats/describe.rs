//! Means, standard deviations and quantiles.

use super::all_finite;

/// Arithmetic mean; `None` for an empty slice or a non-finite value.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() || !all_finite(xs) {
        return None;
    }
    Some(xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (divisor `n − 1`, numpy `ddof=1`); `None` for
/// fewer than two values or a non-finite value.
pub fn std_dev(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    // Two passes: summing squared deviations avoids the cancellation of Σx² − n·m².
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

/// Weighted mean `Σ wᵢxᵢ / Σ wᵢ`; `None` if the lengths differ, a value is not
/// finite, a weight is negative, or the weights sum to zero.
pub fn weighted_mean(xs: &[f64], ws: &[f64]) -> Option<f64> {
    if xs.len() != ws.len() || !all_finite(xs) || !all_finite(ws) || ws.iter().any(|&w| w < 0.0) {
        return None;
    }
    let total: f64 = ws.iter().sum();
    if total <= 0.0 {
        return None;
    }
    Some(xs.iter().zip(ws).map(|(x, w)| x * w).sum::<f64>() / total)
}

/// The `q`-quantile (0 ≤ q ≤ 1) with linear interpolation between order
/// statistics: numpy's default `method="linear"` (Hyndman & Fan type 7), i.e.
/// position `h = (n − 1)q` in the sorted values, interpolated between
/// `⌊h⌋` and `⌊h⌋ + 1`. `None` for an empty slice, a non-finite value or `q`
/// outside `[0, 1]`.
pub fn quantile(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() || !all_finite(xs) || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptive_values() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&xs), Some(5.0));
        // Σ(x − 5)² = 32, / 7.
        assert!((std_dev(&xs).unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-15);
        assert_eq!(weighted_mean(&[1.0, 3.0], &[3.0, 1.0]), Some(1.5));
        assert_eq!(mean(&[]), None);
        assert_eq!(std_dev(&[1.0]), None);
        assert_eq!(mean(&[1.0, f64::NAN]), None);
        assert_eq!(weighted_mean(&[1.0], &[0.0]), None);
        assert_eq!(weighted_mean(&[1.0, 2.0], &[1.0, -1.0]), None);
    }

    #[test]
    fn quantile_matches_numpy_linear() {
        // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], q): 0.25 -> 1.75, 0.5 -> 3.5, 0.9 -> 6.9.
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        for (q, want) in [(0.0, 1.0), (0.25, 1.75), (0.5, 3.5), (0.9, 6.9), (1.0, 9.0)] {
            assert!((quantile(&xs, q).unwrap() - want).abs() < 1e-12, "q={q}");
        }
        assert_eq!(quantile(&[7.0], 0.3), Some(7.0));
        assert_eq!(quantile(&xs, 1.5), None);
    }
}
