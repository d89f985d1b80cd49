//! A small seedable PRNG (xoshiro256++ seeded through SplitMix64) and Vose
//! alias tables for weighted draws.
//!
//! Own code rather than `rand`: the corpus must stay byte-identical across
//! dependency upgrades, and the hot loop wants everything inlined.

/// One step of SplitMix64: advances `state` and returns a well-mixed word.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derives an independent stream seed from a seed and a stream number, so
/// that e.g. month 5 of seed 42 never shares a stream with month 42 of seed 5.
pub(crate) fn derive(seed: u64, stream: u64) -> u64 {
    let mut x = seed;
    let mut y = splitmix64(&mut x) ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    splitmix64(&mut y)
}

/// Stable 64-bit hash of a string (FNV-1a, then mixed): per-occupation
/// constants that must not depend on the seed or on the taxonomy order.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
    }
    splitmix64(&mut h)
}

/// xoshiro256++: fast, 256-bit state, good statistical quality.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        let mut x = seed;
        Rng { s: [splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x)] }
    }

    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (multiply-shift; the bias is below 2⁻⁵⁰ for our sizes).
    #[inline]
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[0, 1)`.
    #[inline]
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    #[inline]
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `lo..=hi`.
    #[inline]
    pub(crate) fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// A uniformly chosen element; `xs` must not be empty (all tables are static and non-empty).
    #[inline]
    pub(crate) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// Approximately standard normal (Irwin–Hall of four uniforms): cheap and
    /// bounded at ±3.5σ, which keeps wages free of absurd outliers.
    #[inline]
    pub(crate) fn normal(&mut self) -> f64 {
        let s = self.unit() + self.unit() + self.unit() + self.unit();
        (s - 2.0) * 3f64.sqrt()
    }
}

/// Walker/Vose alias table: O(1) draws from a fixed discrete distribution.
#[derive(Clone, Debug)]
pub(crate) struct Weighted {
    prob: Vec<f64>,
    alias: Vec<u32>,
}

impl Weighted {
    /// `None` when no weight is positive.
    pub(crate) fn new(weights: &[f64]) -> Option<Weighted> {
        let ok = |w: f64| w.is_finite() && w > 0.0;
        let total: f64 = weights.iter().copied().filter(|&w| ok(w)).sum();
        let first = weights.iter().position(|&w| ok(w))?;
        let n = weights.len();
        let mut prob: Vec<f64> = weights.iter().map(|&w| if ok(w) { w * n as f64 / total } else { 0.0 }).collect();
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| prob[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            alias[s] = l as u32;
            prob[l] -= 1.0 - prob[s];
            if prob[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Leftovers are 1 up to rounding; a zero weight must stay unreachable.
        for i in small.into_iter().chain(large) {
            if ok(weights[i]) {
                prob[i] = 1.0;
            } else {
                prob[i] = 0.0;
                alias[i] = first as u32;
            }
        }
        Some(Weighted { prob, alias })
    }

    /// Like [`Weighted::new`] for tables known to have a positive weight.
    pub(crate) fn fixed(weights: &[f64]) -> Weighted {
        Weighted::new(weights).unwrap_or_else(|| Weighted { prob: vec![1.0], alias: vec![0] })
    }

    #[inline]
    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let i = rng.below(self.prob.len());
        if rng.unit() < self.prob[i] { i } else { self.alias[i] as usize }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_table_matches_weights() {
        let w = [0.0, 1.0, 3.0, 0.0, 6.0];
        let t = Weighted::new(&w).unwrap();
        let mut rng = Rng::new(1);
        let mut n = [0u32; 5];
        for _ in 0..200_000 {
            n[t.sample(&mut rng)] += 1;
        }
        assert_eq!((n[0], n[3]), (0, 0));
        for (i, &wi) in w.iter().enumerate() {
            let share = f64::from(n[i]) / 200_000.0;
            assert!((share - wi / 10.0).abs() < 0.01, "{i}: {share}");
        }
        assert!(Weighted::new(&[0.0, f64::NAN]).is_none());
    }

    #[test]
    fn streams_differ_and_repeat() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(derive(42, 1)).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::new(derive(42, 1)).next_u64(), Rng::new(derive(42, 2)).next_u64());
        assert_ne!(derive(5, 42), derive(42, 5));
    }
}
