//! From confidences to the trusted level.

use zhiye_core::{Level, OcdCode};

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
