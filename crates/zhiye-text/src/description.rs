//! [`DescriptionIndex`]: the index's character-bigram postings that a
//! description may add to, in a compact open-addressing table.
//!
//! Descriptions are long (~300 characters) and are read as Chinese bigrams
//! only, so their cost is one table probe per bigram. A general hash map of
//! every index term keyed by `u64` is large enough to miss the cache on most
//! probes; this table holds only the bigrams a description can use (held by
//! at least one and at most `max_len` occupations, see
//! `ClassifierOptions::description_max_df`) with 4-byte keys probed apart
//! from their ids, and copies their postings next to each other.

use crate::index::OccupationIndex;
use crate::normalize::is_han;

/// Bigram → postings, for descriptions.
#[derive(Debug)]
pub(crate) struct DescriptionIndex {
    /// (packed bigram, where its postings start in `postings`); key 0 is an
    /// empty slot (no bigram packs to 0). One 8-byte read finds both.
    slots: Vec<(u32, u32)>,
    shift: u32,
    /// One bit per hash of the bigrams held: most bigrams of a description
    /// are not held, and this answers for them from 128 KiB, not the table.
    filter: Vec<u64>,
    /// Per bigram, a header (its number of postings, 0) and then its
    /// (document, weight) postings: the header shares their cache line.
    postings: Vec<(u32, f32)>,
}

use crate::learned::pack;

/// Bits of the filter: 2^20 (128 KiB, within the L2 cache), a few percent
/// set with the tens of thousands of bigrams held.
const FILTER_BITS: u32 = 20;

#[inline]
fn filter_bit(key: u32) -> usize {
    (key.wrapping_mul(0x85EB_CA6B) >> (32 - FILTER_BITS)) as usize
}

#[inline]
fn slot(key: u32, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

impl DescriptionIndex {
    /// The bigram terms of `index` held by 1 to `max_len` occupations.
    pub(crate) fn build(index: &OccupationIndex, max_len: usize) -> DescriptionIndex {
        let terms = (0..index.terms() as u32).filter_map(|term| {
            let p = index.postings(term);
            if p.is_empty() || p.len() > max_len {
                return None;
            }
            let (a, b) = index.bigram_chars(term).filter(|&(a, b)| is_han(a) && is_han(b))?;
            Some((pack(a, b), p))
        });
        DescriptionIndex::from_terms(terms)
    }

    /// A table of the given (packed bigram, postings) terms, each bigram once.
    pub(crate) fn from_terms<'a>(terms: impl Iterator<Item = (u32, &'a [(u32, f32)])>) -> DescriptionIndex {
        let mut keys = Vec::new();
        let mut postings = Vec::new();
        for (key, p) in terms {
            keys.push((key, postings.len() as u32));
            postings.push((p.len() as u32, 0.0));
            postings.extend_from_slice(p);
        }
        // At most half full: probes stay short.
        let bits = (keys.len().max(1) * 2).next_power_of_two().trailing_zeros().max(4);
        let shift = 32 - bits;
        let mut slots = vec![(0u32, 0u32); 1 << bits];
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &(key, start) in &keys {
            let bit = filter_bit(key);
            filter[bit / 64] |= 1 << (bit % 64);
            let mut i = slot(key, shift);
            while slots[i].0 != 0 {
                i = (i + 1) & (slots.len() - 1);
            }
            slots[i] = (key, start);
        }
        DescriptionIndex { slots, shift, filter, postings }
    }

    /// Where the postings of bigram `ab` start, if a description may use it.
    #[inline]
    pub(crate) fn get(&self, a: char, b: char) -> Option<u32> {
        let key = pack(a, b);
        let bit = filter_bit(key);
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = slot(key, self.shift);
        loop {
            let (k, start) = self.slots[i];
            if k == key {
                return Some(start);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// The (document, weight) postings starting at `start` (from [`get`](Self::get)).
    #[inline]
    pub(crate) fn postings(&self, start: u32) -> &[(u32, f32)] {
        let i = start as usize;
        &self.postings[i + 1..i + 1 + self.postings[i].0 as usize]
    }

    /// Calls `f(start)` once per distinct usable bigram of `text`, in table
    /// order; `found` is working memory. Collecting, sorting and
    /// deduplicating the few bigrams held costs less than a "seen" mark per
    /// bigram, which would be one more cache miss each.
    #[inline]
    pub(crate) fn for_each_bigram(&self, text: &str, found: &mut Vec<u32>, mut f: impl FnMut(u32)) {
        found.clear();
        // Normalisation maps no character to or from an ideograph, so the raw
        // text has the same bigrams as its normal form.
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if !is_han(c) {
                prev = None;
                continue;
            }
            if let Some(p) = prev
                && let Some(start) = self.get(p, c)
            {
                found.push(start);
            }
            prev = Some(c);
        }
        found.sort_unstable();
        found.dedup();
        found.iter().for_each(|&start| f(start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_every_han_range_apart() {
        for (a, b) in [('\u{3400}', '\u{4DBF}'), ('\u{4E00}', '\u{9FFF}'), ('\u{F900}', '\u{FAFF}')] {
            assert!(is_han(a) && is_han(b));
            assert_ne!(pack(a, b), pack(b, a));
            assert_ne!(pack(a, b), 0);
        }
    }
}
