//! [`SimilarityIndex`]: character n-gram (1- and 2-gram) Dice similarity
//! between a title and every occupation name and alias, for titles that are
//! close to a term without containing it (`短视频拍摄专员` ~ `视频拍摄`).

use rustc_hash::FxHashMap;

use crate::matcher::TermMatcher;

/// Inverted lists from character n-grams to the terms that contain them.
#[derive(Debug)]
pub struct SimilarityIndex {
    grams: FxHashMap<u64, u32>,
    /// `lists[offsets[g]..offsets[g + 1]]` are the terms holding gram `g`.
    offsets: Vec<u32>,
    lists: Vec<u32>,
    /// Distinct grams per term.
    sizes: Vec<u16>,
}

/// Bigrams carry the top bit, so they never equal a unigram.
const BIGRAM_BIT: u64 = 1 << 63;

/// Per-thread buffers of [`SimilarityIndex::for_each_similar`].
#[derive(Debug, Default)]
pub struct SimilarityScratch {
    /// Grams shared with the title, per term; reset through `touched`.
    overlap: Vec<u8>,
    touched: Vec<u32>,
    grams: Vec<u64>,
}

/// Packs the distinct 1- and 2-grams of the alphanumeric characters of `key` into `out`.
fn grams_into(key: &str, out: &mut Vec<u64>) {
    out.clear();
    let mut prev: Option<char> = None;
    for c in key.chars().filter(|c| c.is_alphanumeric()) {
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
        let mut buf = Vec::new();
        for (t, term) in matcher.terms().enumerate() {
            grams_into(term, &mut buf);
            sizes.push(buf.len().min(u16::MAX as usize) as u16);
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
        for l in per_gram {
            lists.extend(l);
            offsets.push(lists.len() as u32);
        }
        SimilarityIndex { grams, offsets, lists, sizes }
    }

    /// Calls `f(term, dice)` for every term whose similarity to `key` is at
    /// least `min`, where dice = 2·|shared| / (|key grams| + |term grams|).
    pub fn for_each_similar(&self, key: &str, min: f32, s: &mut SimilarityScratch, mut f: impl FnMut(u32, f32)) {
        if s.overlap.len() != self.sizes.len() {
            s.overlap = vec![0; self.sizes.len()];
        }
        grams_into(key, &mut s.grams);
        let q = s.grams.len() as f32;
        // Exact overlap counts by walking every gram's list.
        for g in &s.grams {
            let Some(&id) = self.grams.get(g) else { continue };
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
            let size = f32::from(self.sizes[t as usize]);
            let dice = 2.0 * f32::from(s.overlap[t as usize]) / (q + size);
            s.overlap[t as usize] = 0;
            if dice >= min {
                f(t, dice);
            }
        }
        s.touched.clear();
    }
}
