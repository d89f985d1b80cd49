//! [`DescriptionIndex`]: the index's character-bigram postings that a
//! description may add to, in a compact open-addressing table.
//!
//! Descriptions are long (~300 characters) and are read as Chinese bigrams
//! only, so their cost is one filter probe per bigram and a table probe per
//! bigram the filter lets through. A general hash map of every index term
//! keyed by `u64` is large enough to miss the cache on most probes; this
//! table holds only the bigrams a description can use (held by at least one
//! and at most `max_len` occupations, see
//! `ClassifierOptions::description_max_df`) in 8-byte slots, and copies their
//! postings next to each other.

use crate::index::OccupationIndex;
use crate::normalize::{is_han, is_han_code};

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

use crate::learned::{pack, pack_codes};

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

    /// Whether the filter lets the [`pack`]ed bigram `key` through: when it
    /// does not, the table does not hold it.
    #[inline]
    fn may_hold(&self, key: u32) -> bool {
        let bit = filter_bit(key);
        (self.filter[bit / 64] >> (bit % 64)) & 1 != 0
    }

    /// Where the postings of the [`pack`]ed bigram `key` start, if a
    /// description may use it: a table probe, for a key the filter let
    /// through.
    #[inline]
    fn get(&self, key: u32) -> Option<u32> {
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

    /// The (document, weight) postings starting at `start` (from [`for_each_bigram`](Self::for_each_bigram)).
    #[inline]
    pub(crate) fn postings(&self, start: u32) -> &[(u32, f32)] {
        let i = start as usize;
        &self.postings[i + 1..i + 1 + self.postings[i].0 as usize]
    }

    /// Calls `f(start)` once per distinct usable bigram of `text`, in table
    /// order; `found` is working memory.
    ///
    /// The lookups are memory-bound (the filter in L2, the slots and the
    /// postings beyond it), so they go in three passes, each over the whole
    /// text's bigrams, whose loads do not wait on one another or on a branch:
    /// the filter for every bigram, then the slot of each bigram it lets
    /// through, then the postings' first line of each bigram held. Collecting,
    /// sorting and deduplicating the few bigrams held also costs less than a
    /// "seen" mark per bigram, which would be one more cache miss each.
    #[inline]
    pub(crate) fn for_each_bigram(&self, text: &str, found: &mut Vec<u32>, mut f: impl FnMut(u32)) {
        self.filtered_bigrams(text, found);
        touch(found.iter().map(|&key| &self.slots[slot(key, self.shift)].0));
        let mut held = 0;
        for i in 0..found.len() {
            if let Some(start) = self.get(found[i]) {
                found[held] = start;
                held += 1;
            }
        }
        found.truncate(held);
        found.sort_unstable();
        found.dedup();
        touch(found.iter().map(|&start| &self.postings[start as usize].0));
        found.iter().for_each(|&start| f(start));
    }

    /// Sets `keys` to the [`pack`]ed bigrams of `text` that pass the filter,
    /// in text order, repeats included. Branch-free but for the characters'
    /// lengths: the filter answers no for most bigrams, unpredictably.
    #[inline]
    fn filtered_bigrams(&self, text: &str, keys: &mut Vec<u32>) {
        // Normalisation maps no character to or from an ideograph, so the raw
        // text has the same bigrams as its normal form. Ideographs are all
        // three-byte sequences: the bytes are read directly, the lead byte
        // giving every sequence's length (the text is valid UTF-8).
        let b = text.as_bytes();
        keys.clear();
        keys.resize(b.len() / 3 + 1, 0);
        let (mut i, mut n, mut prev) = (0, 0, 0u32);
        while i < b.len() {
            let x = b[i];
            if x & 0xF0 != 0xE0 {
                prev = 0;
                i += match x {
                    0..0x80 => 1,
                    0xF0.. => 4,
                    _ => 2,
                };
                continue;
            }
            let c = (u32::from(x & 0x0F) << 12) | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
            i += 3;
            let han = is_han_code(c);
            let key = pack_codes(prev, c);
            keys[n] = key;
            n += usize::from(han & (prev != 0) & self.may_hold(key));
            prev = if han { c } else { 0 };
        }
        keys.truncate(n);
    }
}

/// Loads every given word before any is used, so that their cache misses
/// overlap instead of each stalling the pass that needs it.
#[inline]
fn touch<'a>(words: impl Iterator<Item = &'a u32>) {
    std::hint::black_box(words.fold(0, |acc, &w| acc ^ w));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bigrams found byte by byte are those of the text's characters.
    #[test]
    fn finds_the_bigrams_a_walk_over_characters_finds() {
        let text = "负责AI产品，é𠀀研发与测试；豈更車車（ＡＩ）㐀㐁 emoji😀软件开发软件";
        let chars: Vec<char> = text.chars().collect();
        let bigrams: Vec<u32> =
            (chars.windows(2).filter(|w| is_han(w[0]) && is_han(w[1]))).map(|w| pack(w[0], w[1])).collect();
        // Every other bigram of the text held, and some the text lacks.
        let held: Vec<(u32, Vec<(u32, f32)>)> = (bigrams.iter().step_by(2))
            .chain(&[pack('无', '关'), pack('𠀀', '研')])
            .enumerate()
            .map(|(i, &k)| (k, vec![(i as u32, 1.0)]))
            .collect();
        let mut unique = held.clone();
        unique.sort_by_key(|h| h.0);
        unique.dedup_by_key(|h| h.0);
        let index = DescriptionIndex::from_terms(unique.iter().map(|(k, p)| (*k, p.as_slice())));
        let mut want: Vec<u32> = (unique.iter()).filter(|(k, _)| bigrams.contains(k)).map(|(_, p)| p[0].0).collect();
        let mut got = Vec::new();
        index.for_each_bigram(text, &mut Vec::new(), |start| got.push(index.postings(start)[0].0));
        want.sort_unstable();
        got.sort_unstable();
        assert!(want.len() > 5, "{want:?}");
        assert_eq!(got, want);
    }

    #[test]
    fn packs_every_han_range_apart() {
        for (a, b) in [('\u{3400}', '\u{4DBF}'), ('\u{4E00}', '\u{9FFF}'), ('\u{F900}', '\u{FAFF}')] {
            assert!(is_han(a) && is_han(b));
            assert_ne!(pack(a, b), pack(b, a));
            assert_ne!(pack(a, b), 0);
        }
    }
}
