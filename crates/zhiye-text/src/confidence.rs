//! From ranked raw scores to confidences and the trusted level.

use zhiye_core::{Level, OcdCode};

/// Softmax of the ranked `scores` against a "none of these" pseudo-candidate
/// scoring `none`: `p_i = e^{β s_i} / (e^{β none} + Σ_j e^{β s_j})`, written
/// into `out` in the same order. Shifted by the best score for stability.
pub fn probabilities(scores: impl Iterator<Item = f32> + Clone, sharpness: f32, none: f32, out: &mut Vec<f32>) {
    out.clear();
    let top = scores.clone().fold(none, f32::max);
    let mut z = (sharpness * (none - top)).exp();
    for s in scores {
        let e = (sharpness * (s - top)).exp();
        z += e;
        out.push(e);
    }
    for p in out.iter_mut() {
        *p /= z;
    }
}

/// The deepest level at which the candidates (code, confidence; best first)
/// sharing the best candidate's class hold at least `threshold` of the
/// confidence, with that mass; the large level when none does.
pub fn trusted_level(top: &[(OcdCode, f32)], threshold: f32) -> (Level, f32) {
    let Some(&(best, _)) = top.first() else { return (Level::Large, 0.0) };
    let mut fallback = (Level::Large, 0.0);
    for level in [Level::Fine, Level::Small, Level::Medium, Level::Large] {
        let class = best.truncate(level);
        let mass: f32 = top.iter().filter(|(c, _)| c.truncate(level) == class).map(|(_, p)| p).sum();
        if mass >= threshold {
            return (level, mass);
        }
        fallback = (level, mass);
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_sum_below_one_and_keep_order() {
        let mut p = Vec::new();
        probabilities([3.0, 1.0, 1.0].into_iter(), 2.0, 1.0, &mut p);
        let sum: f32 = p.iter().sum();
        assert!(sum < 1.0 && sum > 0.9, "{p:?}");
        assert!(p[0] > p[1] && (p[1] - p[2]).abs() < 1e-7);
        // Weak evidence: the pseudo-candidate keeps confidence low.
        probabilities([0.2].into_iter(), 2.0, 1.0, &mut p);
        assert!(p[0] < 0.25, "{p:?}");
    }

    #[test]
    fn level_climbs_until_the_mass_is_enough() {
        let c = |s: &str| s.parse::<OcdCode>().unwrap();
        let codes = [c("2-08-02-01"), c("2-08-02-04"), c("2-08-01-01"), c("4-01-02-01")];
        let top = |p: [f32; 4]| -> Vec<(OcdCode, f32)> { codes.iter().copied().zip(p).collect() };
        assert_eq!(trusted_level(&top([0.6, 0.1, 0.1, 0.1]), 0.5).0, Level::Fine);
        assert_eq!(trusted_level(&top([0.3, 0.3, 0.1, 0.1]), 0.5).0, Level::Small);
        let (level, mass) = trusted_level(&top([0.2, 0.2, 0.2, 0.3]), 0.5);
        assert_eq!(level, Level::Medium);
        assert!((mass - 0.6).abs() < 1e-6);
        assert_eq!(trusted_level(&top([0.1, 0.1, 0.1, 0.1]), 0.5).0, Level::Large);
    }
}
