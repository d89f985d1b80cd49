//! Axis arithmetic: "nice" tick values in 1-2-5 steps, linear scales from data
//! to drawing coordinates, and fixed-decimal number formatting (so the same
//! model always gives the same bytes).

/// Tick values of an axis: `first, first + step, …, last`, all multiples of
/// a 1-2-5 step, covering the data.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    /// The tick values, ascending; at least two.
    pub values: Vec<f64>,
    /// Distance between neighbouring ticks.
    pub step: f64,
    /// Decimals needed to print every tick exactly.
    pub decimals: usize,
}

impl Ticks {
    /// Ticks covering `[lo, hi]` with about `target` intervals.
    ///
    /// `lo` and `hi` may come in either order. Equal values get a range
    /// around them (±10 %, or ±1 around zero); non-finite input gives the
    /// ticks of `[0, 1]`.
    pub fn cover(lo: f64, hi: f64, target: usize) -> Ticks {
        let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo <= f64::EPSILON * lo.abs().max(hi.abs()) {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            (lo, hi) = (lo - pad, hi + pad);
        }
        let step = nice_step((hi - lo) / target.max(1) as f64);
        // Snap to whole steps; the small tolerance keeps e.g. 0.3 / 0.1 = 2.9999…
        // from adding a step.
        let first = (lo / step + 1e-9).floor();
        let last = (hi / step - 1e-9).ceil();
        let n = (last - first).max(1.0) as usize;
        let decimals = decimals_of(step);
        let values = (0..=n).map(|i| round_to((first + i as f64) * step, decimals)).collect();
        Ticks { values, step, decimals }
    }

    /// Like [`Ticks::cover`] but for counts: the step is at least 1.
    pub fn cover_counts(lo: f64, hi: f64, target: usize) -> Ticks {
        let ticks = Ticks::cover(lo, hi, target);
        if ticks.step >= 1.0 {
            return ticks;
        }
        let first = ticks.values[0].floor();
        let last = ticks.values[ticks.values.len() - 1].ceil().max(first + 1.0);
        Ticks { values: (0..=(last - first) as usize).map(|i| first + i as f64).collect(), step: 1.0, decimals: 0 }
    }

    /// The smallest tick.
    pub fn first(&self) -> f64 {
        self.values[0]
    }

    /// The largest tick.
    pub fn last(&self) -> f64 {
        self.values[self.values.len() - 1]
    }

    /// A tick value printed with the ticks' decimals.
    pub fn label(&self, v: f64) -> String {
        number(v, self.decimals)
    }
}

/// The 1-2-5 step (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, …) nearest above `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 + 1e-9 {
        1.0
    } else if fraction <= 2.0 + 1e-9 {
        2.0
    } else if fraction <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Decimals that print every multiple of a 1-2-5 `step` exactly (0 for steps
/// of 1 and above; at most 12).
fn decimals_of(step: f64) -> usize {
    if step >= 1.0 { 0 } else { ((-step.log10()).ceil().max(0.0) as usize).min(12) }
}

/// `v` rounded to `decimals` places, which removes the binary noise of
/// `i * step` (0.30000000000000004).
fn round_to(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}

/// `v` with exactly `decimals` digits after the point. Negative zero prints
/// as zero, non-finite values as `NaN`, `inf` and `-inf`.
pub(crate) fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".to_owned()
        } else if v > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(digits) if digits.bytes().all(|b| b == b'0' || b == b'.') => digits.to_owned(),
        _ => s,
    }
}

/// A number as people read it: `decimals` digits after the point, the
/// integer digits grouped by thousands (`375,316`, `-1,234.50`).
pub fn number(v: f64, decimals: usize) -> String {
    group_thousands(&fixed(v, decimals))
}

/// `digits` (an optional `-`, digits, an optional fraction) with commas
/// between each three integer digits; anything else unchanged.
pub(crate) fn group_thousands(digits: &str) -> String {
    let (sign, rest) = digits.strip_prefix('-').map_or(("", digits), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 3 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_owned();
    }
    let mut out = String::with_capacity(digits.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A drawing coordinate: two decimals.
pub(crate) fn coord(v: f64) -> String {
    fixed(v, 2)
}

/// A linear map from a data interval to a drawing interval (which may run
/// backwards, as the y axis does).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Linear {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Linear {
    /// Maps `domain.0 → range.0` and `domain.1 → range.1`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Linear {
        Linear { d0: domain.0, d1: domain.1, r0: range.0, r1: range.1 }
    }

    /// The scale whose domain is the ticks' span.
    pub fn from_ticks(ticks: &Ticks, range: (f64, f64)) -> Linear {
        Linear::new((ticks.first(), ticks.last()), range)
    }

    /// The drawing coordinate of `v` (the middle of the range when the domain
    /// is a single point).
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// The data domain.
    pub fn domain(&self) -> (f64, f64) {
        (self.d0, self.d1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &Ticks) -> Vec<String> {
        t.values.iter().map(|&v| t.label(v)).collect()
    }

    #[test]
    fn steps_are_1_2_5() {
        assert_eq!(nice_step(0.013), 0.02);
        assert_eq!(nice_step(0.1), 0.1);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(1500.0), 2000.0);
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
    }

    #[test]
    fn ticks_cover_the_data() {
        let t = Ticks::cover(0.03, 0.97, 5);
        assert_eq!(labels(&t), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let t = Ticks::cover(0.0, 0.3, 3);
        assert_eq!(labels(&t), ["0.0", "0.1", "0.2", "0.3"]);
        let t = Ticks::cover(13.0, 2487.0, 5);
        assert_eq!(labels(&t), ["0", "500", "1,000", "1,500", "2,000", "2,500"]);
    }

    #[test]
    fn ticks_handle_negative_and_reversed_ranges() {
        let t = Ticks::cover(2.5, -7.5, 5);
        assert_eq!(labels(&t), ["-8", "-6", "-4", "-2", "0", "2", "4"]);
        let t = Ticks::cover(-0.35, -0.05, 3);
        assert_eq!(labels(&t), ["-0.4", "-0.3", "-0.2", "-0.1", "0.0"]);
    }

    #[test]
    fn ticks_handle_equal_and_non_finite_values() {
        let t = Ticks::cover(5.0, 5.0, 5);
        assert!(t.first() < 5.0 && t.last() > 5.0, "{t:?}");
        let t = Ticks::cover(0.0, 0.0, 5);
        assert_eq!((t.first(), t.last()), (-1.0, 1.0));
        let t = Ticks::cover(f64::NAN, f64::INFINITY, 5);
        assert_eq!((t.first(), t.last()), (0.0, 1.0));
    }

    #[test]
    fn count_ticks_are_whole() {
        let t = Ticks::cover_counts(0.0, 3.0, 5);
        assert_eq!(labels(&t), ["0", "1", "2", "3"]);
        let t = Ticks::cover_counts(0.0, 1.0, 5);
        assert_eq!(labels(&t), ["0", "1"]);
    }

    #[test]
    fn fixed_is_stable() {
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(-0.0, 0), "0");
        assert_eq!(fixed(-1.005, 1), "-1.0");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
        assert_eq!(number(375_316.0, 0), "375,316");
        assert_eq!(number(-1234.5, 2), "-1,234.50");
        assert_eq!(number(999.0, 1), "999.0");
        assert_eq!(number(1_000_000.0, 0), "1,000,000");
        assert_eq!(number(f64::INFINITY, 0), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
    }

    #[test]
    fn linear_maps_both_ways() {
        let s = Linear::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(s.map(0.0), 100.0);
        assert_eq!(s.map(2.5), 75.0);
        assert_eq!(s.map(10.0), 0.0);
        assert_eq!(Linear::new((3.0, 3.0), (0.0, 10.0)).map(3.0), 5.0);
    }
}
