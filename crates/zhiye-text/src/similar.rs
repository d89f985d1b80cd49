//! [`SimilarityIndex`]: character n-gram (1- and 2-gram) Dice similarity
//! between a title and every occupation name and alias, for titles that are
//! close to a term without containing it (`短视频拍摄专员` ~ `视频拍摄`).
//!
//! Exact, with prefix filtering: a term similar enough to the title must
//! share at least `need` of its grams, so it shares at least one of the title's
//! grams other than the `need - 1` most common ones. Only the rarer grams' lists
//! are walked; the common grams (`员`, `师`, whose lists hold a fifth of all
//! terms) are then counted for the terms found, by lookup in their own grams.

use rustc_hash::FxHashMap;

use crate::matcher::TermMatcher;
use crate::normalize::is_alphanumeric;

/// Inverted lists from character n-grams to the terms that contain them.
#[derive(Debug)]
pub struct SimilarityIndex {
    grams: FxHashMap<u64, u32>,
    /// `lists[offsets[g]..offsets[g + 1]]` are the terms holding gram `g`.
    offsets: Vec<u32>,
    lists: Vec<u32>,
    /// Distinct grams per term.
    sizes: Vec<u16>,
    /// `term_grams[term_offsets[t]..term_offsets[t + 1]]` are term `t`'s grams, sorted.
    term_offsets: Vec<u32>,
    term_grams: Vec<u64>,
    /// The largest number of grams of a term.
    max_size: usize,
    /// Per gram id, where its bit per term starts in `bits` (`NO_BITS`: it
    /// has none); the commonest grams have one, so that counting them for a
    /// term is a bit test, not a search in the term's grams out of cache.
    bits_of: Vec<u32>,
    bits: Vec<u64>,
}

/// `bits_of` of a gram without a bit per term.
const NO_BITS: u32 = u32::MAX;

/// Grams held by at least this share of the terms get a bit per term: the
/// few that are skipped as common (`员`, `师`, `工程`). On the OCD 2022 terms
/// that is 324 of 7,204 grams, 141 KiB in all; a title reads one or two
/// 448-byte rows of it.
const BITS_MIN_SHARE: f64 = 0.005;

/// Bigrams carry the top bit, so they never equal a unigram.
const BIGRAM_BIT: u64 = 1 << 63;

/// Per-thread buffers of [`SimilarityIndex::for_each_similar`].
#[derive(Debug, Default)]
pub struct SimilarityScratch {
    /// Grams shared with the title, per term; reset through `touched`.
    overlap: Vec<u8>,
    touched: Vec<u32>,
    grams: Vec<u64>,
    /// The title's grams found in the index: (list length, gram, list id).
    found: Vec<(u32, u64, u32)>,
    /// Per term size: the fewest shared grams that reach the threshold.
    need: Vec<u32>,
}

/// Packs the distinct 1- and 2-grams of the alphanumeric characters of `key` into `out`.
fn grams_into(key: &str, out: &mut Vec<u64>) {
    out.clear();
    let mut prev: Option<char> = None;
    for c in key.chars().filter(|&c| is_alphanumeric(c)) {
        out.push(u64::from(c as u32));
        if let Some(p) = prev {
            out.push((u64::from(p as u32) << 32) | u64::from(c as u32) | BIGRAM_BIT);
        }
        prev = Some(c);
    }
    out.sort_unstable();
    out.dedup();
}

impl SimilarityIndex {
    /// Indexes every term of `matcher`, in its term order.
    pub fn build(matcher: &TermMatcher) -> SimilarityIndex {
        let mut grams: FxHashMap<u64, u32> = FxHashMap::default();
        let mut per_gram: Vec<Vec<u32>> = Vec::new();
        let mut sizes = Vec::new();
        let mut term_offsets = vec![0];
        let mut term_grams = Vec::new();
        let mut buf = Vec::new();
        for (t, term) in matcher.terms().enumerate() {
            grams_into(term, &mut buf);
            sizes.push(buf.len().min(u16::MAX as usize) as u16);
            term_grams.extend_from_slice(&buf);
            term_offsets.push(term_grams.len() as u32);
            for &g in &buf {
                let id = *grams.entry(g).or_insert_with(|| {
                    per_gram.push(Vec::new());
                    per_gram.len() as u32 - 1
                });
                per_gram[id as usize].push(t as u32);
            }
        }
        let mut offsets = vec![0];
        let mut lists = Vec::new();
        let (mut bits_of, mut bits) = (Vec::with_capacity(per_gram.len()), Vec::new());
        let words = sizes.len().div_ceil(64);
        for l in per_gram {
            if l.len() as f64 >= BITS_MIN_SHARE * sizes.len() as f64 {
                let at = bits.len();
                bits_of.push(at as u32);
                bits.resize(at + words, 0);
                let own = &mut bits[at..];
                for &t in &l {
                    own[t as usize / 64] |= 1 << (t % 64);
                }
            } else {
                bits_of.push(NO_BITS);
            }
            lists.extend(l);
            offsets.push(lists.len() as u32);
        }
        let max_size = sizes.iter().copied().max().map_or(0, usize::from);
        SimilarityIndex { grams, offsets, lists, sizes, term_offsets, term_grams, max_size, bits_of, bits }
    }

    /// Calls `f(term, dice)` for every term whose similarity to `key` is at
    /// least `min`, where dice = 2·|shared| / (|key grams| + |term grams|).
    pub fn for_each_similar(&self, key: &str, min: f32, s: &mut SimilarityScratch, mut f: impl FnMut(u32, f32)) {
        if s.overlap.len() != self.sizes.len() {
            s.overlap = vec![0; self.sizes.len()];
        }
        grams_into(key, &mut s.grams);
        let q = s.grams.len() as f32;
        s.found.clear();
        for &g in &s.grams {
            if let Some(&id) = self.grams.get(&g) {
                let len = self.offsets[id as usize + 1] - self.offsets[id as usize];
                s.found.push((len, g, id));
            }
        }
        // The fewest grams a term of each size must share, by the same
        // division as the test (so no rounding can make a bound wrong); it
        // grows with the size. Terms have one gram or more, so the `need[1] - 1`
        // commonest grams can be left out of the walk.
        let dice = |shared: u32, size: usize| 2.0 * shared as f32 / (q + size as f32);
        s.need.clear();
        let mut o = 0;
        for size in 0..=self.max_size {
            while o <= s.grams.len() as u32 && dice(o, size) < min {
                o += 1;
            }
            s.need.push(o);
        }
        let skip = (s.need[1].max(1) as usize - 1).min(s.found.len());
        s.found.sort_unstable_by(|a, b| b.cmp(a));
        let (common, rare) = s.found.split_at(skip);
        for &(_, _, id) in rare {
            let id = id as usize;
            for &t in &self.lists[self.offsets[id] as usize..self.offsets[id + 1] as usize] {
                let o = &mut s.overlap[t as usize];
                if *o == 0 {
                    s.touched.push(t);
                }
                *o = o.saturating_add(1);
            }
        }
        for &t in &s.touched {
            let ti = t as usize;
            let mut shared = u32::from(s.overlap[ti]);
            s.overlap[ti] = 0;
            let (size, skipped) = (usize::from(self.sizes[ti]), common.len() as u32);
            // Most terms share one common character and cannot reach the
            // threshold even if they held every skipped gram.
            if shared + skipped < s.need[size] {
                continue;
            }
            for &(_, gram, id) in common {
                let holds = match self.bits_of[id as usize] {
                    NO_BITS => {
                        let own = &self.term_grams[self.term_offsets[ti] as usize..self.term_offsets[ti + 1] as usize];
                        own.binary_search(&gram).is_ok()
                    }
                    at => (self.bits[at as usize + ti / 64] >> (ti % 64)) & 1 != 0,
                };
                shared += u32::from(holds);
            }
            if shared >= s.need[size] {
                f(t, dice(shared, size));
            }
        }
        s.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use zhiye_core::Taxonomy;

    use super::*;

    /// Every term's Dice similarity the plain way: both gram sets, intersected.
    fn naive(matcher: &TermMatcher, key: &str, min: f32) -> Vec<(u32, f32)> {
        let mut q = Vec::new();
        grams_into(key, &mut q);
        let mut g = Vec::new();
        let mut out = Vec::new();
        for (t, term) in matcher.terms().enumerate() {
            grams_into(term, &mut g);
            let shared = g.iter().filter(|x| q.contains(x)).count();
            let dice = 2.0 * shared as f32 / (q.len() as f32 + g.len() as f32);
            if shared > 0 && dice >= min {
                out.push((t as u32, dice));
            }
        }
        out
    }

    #[test]
    fn prefix_filtering_finds_what_a_full_comparison_finds() {
        let Some(dir) = crate::test_data::real_dir() else { return };
        let taxonomy = Taxonomy::from_path(dir.join("csco22.csv")).unwrap();
        let matcher = TermMatcher::build(&taxonomy).unwrap();
        let index = SimilarityIndex::build(&matcher);
        // Both ways of counting a common gram are taken below: some grams
        // have a bit per term, most do not.
        let with_bits = index.bits_of.iter().filter(|&&b| b != NO_BITS).count();
        assert!(with_bits > 0 && with_bits < index.bits_of.len() / 10, "{with_bits} of {}", index.bits_of.len());
        let mut s = SimilarityScratch::default();
        let terms: Vec<&str> = matcher.terms().collect();
        let mut found = 0;
        // Titles of every length: terms, pieces and run-ons of terms.
        for (i, term) in terms.iter().enumerate().step_by(11) {
            let other = terms[(i * 7) % terms.len()];
            let short: String = term.chars().take(2).collect();
            for key in [term.to_string(), short, format!("{term}{other}"), format!("高级{other}助理{term}主管")] {
                for min in [0.2, 0.35, 0.6] {
                    let mut got = Vec::new();
                    index.for_each_similar(&key, min, &mut s, |t, d| got.push((t, d)));
                    got.sort_by_key(|g| g.0);
                    assert_eq!(got, naive(&matcher, &key, min), "{key} at {min}");
                    found += got.len();
                }
            }
        }
        assert!(found > 10_000, "only {found} similar terms");
    }
}
