//! [`TitleMemo`]: what a title alone says, computed once per distinct title
//! and replayed for its repeats.
//!
//! Board titles repeat (43,481 real sample postings hold 16,805 distinct
//! titles), and a title's evidence (cleaning, rules, term matches, similarity,
//! title BM25) does not depend on the description. A worker keeps the evidence
//! of the titles it has seen, keyed by the title's exact text, in two
//! generations of at most `capacity` titles each: a title found in the old
//! generation moves to the new one, and when the new one is full the old one
//! is dropped. That keeps the frequent titles at the cost of a hash lookup, in
//! bounded memory, without a clock or a list to maintain.
//!
//! Invariant: replaying a title's evidence leaves the scratch exactly as
//! computing it would, in the same order (the occupations are touched in the
//! same sequence, so sums over them round the same way): results are
//! byte-identical with the memo on or off, at any thread count.

use rustc_hash::FxHashMap;

use crate::options::Method;

/// One occupation's title evidence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TitleDoc {
    pub d: u32,
    /// Rule, exact, match and similarity (`Scratch::term_ev`).
    pub terms: [f32; 4],
    pub head: f32,
    pub title: f32,
    pub similar_term: u32,
}

/// Everything the title phase of `Classifier::gather` leaves in the scratch.
#[derive(Debug)]
pub(crate) struct TitleEvidence {
    /// In the order the occupations were touched.
    pub docs: Box<[TitleDoc]>,
    pub decided: Option<(u32, Method)>,
    pub rule: Option<u32>,
    pub restrict: Option<(u32, u32)>,
    /// The evidence text written while reading the title.
    pub evidence: Box<str>,
    /// The noise the cleaner removed, as the evidence ends with it.
    pub removed: Box<str>,
    /// The title's index terms and their query weights.
    pub terms: Box<[(u32, f32)]>,
}

/// A worker's remembered titles (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TitleMemo {
    new: FxHashMap<Box<str>, Box<TitleEvidence>>,
    old: FxHashMap<Box<str>, Box<TitleEvidence>>,
    /// Titles found (in either generation) and not found.
    pub hits: u64,
    pub misses: u64,
}

impl TitleMemo {
    /// The evidence of `title`, if remembered; counts the lookup.
    pub fn get(&mut self, title: &str, capacity: usize) -> Option<&TitleEvidence> {
        if self.new.contains_key(title) {
            self.hits += 1;
            return self.new.get(title).map(|e| &**e);
        }
        let Some((key, e)) = self.old.remove_entry(title) else {
            self.misses += 1;
            return None;
        };
        self.hits += 1;
        self.insert_owned(key, e, capacity);
        self.new.get(title).map(|e| &**e)
    }

    /// Remembers the evidence of `title`.
    pub fn insert(&mut self, title: &str, e: TitleEvidence, capacity: usize) {
        self.insert_owned(title.into(), Box::new(e), capacity);
    }

    fn insert_owned(&mut self, title: Box<str>, e: Box<TitleEvidence>, capacity: usize) {
        if self.new.len() >= capacity {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(title, e);
    }

    /// Its counts.
    pub fn stats(&self) -> MemoStats {
        MemoStats { hits: self.hits, misses: self.misses, titles: self.new.len() + self.old.len() }
    }
}

/// What a worker's title memo did (see [`Scratch::memo_stats`](crate::Scratch::memo_stats)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoStats {
    /// Postings whose title had been read before.
    pub hits: u64,
    /// Postings whose title was read.
    pub misses: u64,
    /// Distinct titles remembered now.
    pub titles: usize,
}

impl std::ops::AddAssign for MemoStats {
    fn add_assign(&mut self, o: MemoStats) {
        self.hits += o.hits;
        self.misses += o.misses;
        self.titles += o.titles;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(tag: &str) -> TitleEvidence {
        TitleEvidence {
            docs: Box::new([]),
            decided: None,
            rule: None,
            restrict: None,
            evidence: tag.into(),
            removed: "".into(),
            terms: Box::new([]),
        }
    }

    #[test]
    fn two_generations_keep_what_is_used_and_stay_bounded() {
        let mut m = TitleMemo::default();
        for t in ["a", "b", "c"] {
            assert!(m.get(t, 2).is_none());
            m.insert(t, evidence(t), 2);
        }
        // a, b were rotated to the old generation when c came; a is used again.
        assert_eq!(&*m.get("a", 2).unwrap().evidence, "a");
        m.insert("d", evidence("d"), 2);
        m.insert("e", evidence("e"), 2);
        // b was never used again: dropped with its generation; a is still found.
        assert!(m.get("b", 2).is_none());
        assert_eq!(&*m.get("a", 2).unwrap().evidence, "a");
        assert_eq!(m.stats(), MemoStats { hits: 2, misses: 4, titles: 3 });
    }
}
