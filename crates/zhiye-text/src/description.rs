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
    /// (packed bigram, its rank: the bigrams' order in `postings`); key 0 is
    /// an empty slot (no bigram packs to 0). One 8-byte read finds both.
    slots: Vec<(u32, u32)>,
    shift: u32,
    /// One bit per hash of the bigrams held: most bigrams of a description
    /// are not held, and this answers for them from 128 KiB, not the table.
    filter: Vec<u64>,
    /// Per rank, where the bigram's postings start in `postings`.
    starts: Vec<u32>,
    /// Per bigram, a header (its number of postings, 0) and then its
    /// (document, weight) postings: the header shares their cache line.
    postings: Vec<(u32, f32)>,
}

/// Working memory of [`DescriptionIndex::for_each_bigram`]: the bigrams that
/// pass the filter, and the ranks held as a set of bits with a summary word
/// per 64 of them. Every bit is clear between calls.
#[derive(Debug, Default)]
pub(crate) struct BigramScratch {
    keys: Vec<u32>,
    bits: Vec<u64>,
    summary: Vec<u64>,
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
        let mut starts = Vec::new();
        let mut postings = Vec::new();
        for (key, p) in terms {
            keys.push((key, starts.len() as u32));
            starts.push(postings.len() as u32);
            postings.push((p.len() as u32, 0.0));
            postings.extend_from_slice(p);
        }
        // At most half full: probes stay short.
        let bits = (keys.len().max(1) * 2).next_power_of_two().trailing_zeros().max(4);
        let shift = 32 - bits;
        let mut slots = vec![(0u32, 0u32); 1 << bits];
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &(key, rank) in &keys {
            let bit = filter_bit(key);
            filter[bit / 64] |= 1 << (bit % 64);
            let mut i = slot(key, shift);
            while slots[i].0 != 0 {
                i = (i + 1) & (slots.len() - 1);
            }
            slots[i] = (key, rank);
        }
        DescriptionIndex { slots, shift, filter, starts, postings }
    }

    /// Whether the filter lets the [`pack`]ed bigram `key` through: when it
    /// does not, the table does not hold it.
    #[inline]
    fn may_hold(&self, key: u32) -> bool {
        let bit = filter_bit(key);
        (self.filter[bit / 64] >> (bit % 64)) & 1 != 0
    }

    /// The rank of the [`pack`]ed bigram `key`, if a description may use
    /// it: a table probe, for a key the filter let through.
    #[inline]
    fn get(&self, key: u32) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = slot(key, self.shift);
        loop {
            let (k, rank) = self.slots[i];
            if k == key {
                return Some(rank);
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
    /// order (the order of `postings`, which fixes the order scores add up
    /// in); `b` is working memory.
    ///
    /// The lookups are memory-bound (the filter in L2, the slots and the
    /// postings beyond it), so they go in passes over the whole text's
    /// bigrams, whose loads do not wait on one another or on a branch: the
    /// filter for every bigram, then the slot of each bigram it lets through,
    /// then the postings' first line of each bigram held. The bigrams held
    /// are put in table order and made distinct by a bit per rank, which is
    /// cheaper than sorting them (a sort took a third of this function) and
    /// than a "seen" mark beside each bigram's postings (a cache miss each).
    #[inline]
    pub(crate) fn for_each_bigram(&self, text: &str, b: &mut BigramScratch, mut f: impl FnMut(u32)) {
        self.filtered_bigrams(text, &mut b.keys);
        load_all(b.keys.iter().map(|&key| &self.slots[slot(key, self.shift)].0));
        let words = self.starts.len().div_ceil(64);
        if b.bits.len() < words {
            b.bits.resize(words, 0);
            b.summary.resize(words.div_ceil(64), 0);
        }
        let mut first_lines = 0;
        for &key in &b.keys {
            if let Some(rank) = self.get(key) {
                let r = rank as usize;
                b.bits[r / 64] |= 1 << (r % 64);
                b.summary[r / 4096] |= 1 << ((r / 64) % 64);
                first_lines ^= self.postings[self.starts[r] as usize].0;
            }
        }
        std::hint::black_box(first_lines);
        for si in 0..words.div_ceil(64) {
            let mut summary = std::mem::take(&mut b.summary[si]);
            while summary != 0 {
                let wi = si * 64 + summary.trailing_zeros() as usize;
                summary &= summary - 1;
                let mut word = std::mem::take(&mut b.bits[wi]);
                while word != 0 {
                    f(self.starts[wi * 64 + word.trailing_zeros() as usize]);
                    word &= word - 1;
                }
            }
        }
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
pub(crate) fn load_all<'a>(words: impl Iterator<Item = &'a u32>) {
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
        let mut scratch = BigramScratch::default();
        // Twice with one scratch: nothing is left over from the first call.
        for _ in 0..2 {
            let mut starts = Vec::new();
            index.for_each_bigram(text, &mut scratch, |start| starts.push(start));
            // Each bigram once, in table order.
            assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
            let mut got: Vec<u32> = starts.iter().map(|&start| index.postings(start)[0].0).collect();
            want.sort_unstable();
            got.sort_unstable();
            assert!(want.len() > 5, "{want:?}");
            assert_eq!(got, want);
        }
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
