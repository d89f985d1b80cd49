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
    /// Packed bigrams; 0 is an empty slot (no bigram packs to 0). Apart from
    /// `ids`, so that a probe reads 4 bytes a slot: most probes miss.
    keys: Vec<u32>,
    /// The local id of the bigram in the same slot of `keys`.
    ids: Vec<u32>,
    shift: u32,
    /// One bit per hash of the bigrams held: most bigrams of a description
    /// are not held, and this answers for them from 32 KiB, not the table.
    filter: Vec<u64>,
    /// `postings[offsets[i]..offsets[i + 1]]` are local term `i`'s (document, weight).
    offsets: Vec<u32>,
    postings: Vec<(u32, f32)>,
}

use crate::learned::pack;

/// Bits of the filter: 2^18, a quarter set with ~50k bigrams.
const FILTER_BITS: u32 = 18;

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
        let mut offsets = vec![0u32];
        let mut postings = Vec::new();
        for (key, p) in terms {
            keys.push(key);
            postings.extend_from_slice(p);
            offsets.push(postings.len() as u32);
        }
        // At most half full: probes stay short.
        let bits = (keys.len().max(1) * 2).next_power_of_two().trailing_zeros().max(4);
        let shift = 32 - bits;
        let (mut slot_keys, mut ids) = (vec![0u32; 1 << bits], vec![0u32; 1 << bits]);
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for (id, &key) in keys.iter().enumerate() {
            let bit = filter_bit(key);
            filter[bit / 64] |= 1 << (bit % 64);
            let mut i = slot(key, shift);
            while slot_keys[i] != 0 {
                i = (i + 1) & (slot_keys.len() - 1);
            }
            slot_keys[i] = key;
            ids[i] = id as u32;
        }
        DescriptionIndex { keys: slot_keys, ids, shift, filter, offsets, postings }
    }

    /// Number of bigrams held.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The local id of bigram `ab`, if a description may use it.
    #[inline]
    pub(crate) fn get(&self, a: char, b: char) -> Option<u32> {
        let key = pack(a, b);
        let bit = filter_bit(key);
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mask = self.keys.len() - 1;
        let mut i = slot(key, self.shift);
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(self.ids[i]);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// The (document, weight) postings of local term `id`.
    #[inline]
    pub(crate) fn postings(&self, id: u32) -> &[(u32, f32)] {
        let i = id as usize;
        &self.postings[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Calls `f(id)` once per distinct usable bigram of `text`, in order of
    /// first occurrence; `seen` (one stamp per local id) and `stamp` make the
    /// "once" without clearing.
    #[inline]
    pub(crate) fn for_each_bigram(&self, text: &str, seen: &mut Vec<u32>, stamp: &mut u32, mut f: impl FnMut(u32)) {
        if seen.len() != self.len() {
            *seen = vec![0; self.len()];
            *stamp = 0;
        }
        *stamp = stamp.wrapping_add(1);
        if *stamp == 0 {
            seen.fill(0);
            *stamp = 1;
        }
        // Normalisation maps no character to or from an ideograph, so the raw
        // text has the same bigrams as its normal form.
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if !is_han(c) {
                prev = None;
                continue;
            }
            if let Some(p) = prev
                && let Some(id) = self.get(p, c)
                && seen[id as usize] != *stamp
            {
                seen[id as usize] = *stamp;
                f(id);
            }
            prev = Some(c);
        }
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
