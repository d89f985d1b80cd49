//! [`TitleMemo`]: a worker's [`TitleSummary`]s, computed once per distinct
//! title and reused for its repeats.
//!
//! Board titles repeat (43,481 real sample postings hold 16,805 distinct
//! titles), and a title's summary (cleaning, rules, term matches, similarity,
//! title BM25, folded into one score per candidate) does not depend on the
//! description. A worker keeps the summaries of the titles it has seen,
//! keyed by the title's exact text, in two generations of at most `capacity`
//! titles each: a title found in the old generation moves to the new one, and
//! when the new one is full the old one is dropped. That keeps the frequent
//! titles at the cost of a hash lookup, in bounded memory, without a clock or
//! a list to maintain.
//!
//! Invariant: a summary depends on the title alone and is used as computed,
//! so results are byte-identical with the memo on or off, at any thread count.

use rustc_hash::FxHashMap;

use super::summary::TitleSummary;

/// A worker's remembered titles (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TitleMemo {
    new: FxHashMap<Box<str>, Box<TitleSummary>>,
    old: FxHashMap<Box<str>, Box<TitleSummary>>,
    /// Titles found (in either generation) and not found.
    pub hits: u64,
    pub misses: u64,
}

impl TitleMemo {
    /// The summary of `title`, remembered or else made by `read` and
    /// remembered; counts the lookup.
    pub fn get_or_insert_with(
        &mut self,
        title: &str,
        capacity: usize,
        read: impl FnOnce() -> TitleSummary,
    ) -> &TitleSummary {
        if self.new.contains_key(title) {
            self.hits += 1;
        } else if let Some((key, e)) = self.old.remove_entry(title) {
            self.hits += 1;
            self.insert(key, e, capacity);
        } else {
            self.misses += 1;
            self.insert(title.into(), Box::new(read()), capacity);
        }
        &self.new[title]
    }

    fn insert(&mut self, title: Box<str>, e: Box<TitleSummary>, capacity: usize) {
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

    fn summary(tag: &str) -> TitleSummary {
        TitleSummary { evidence: tag.into(), ..TitleSummary::default() }
    }

    #[test]
    fn two_generations_keep_what_is_used_and_stay_bounded() {
        let mut m = TitleMemo::default();
        let mut reads = 0;
        let mut get = |m: &mut TitleMemo, t: &str| -> String {
            m.get_or_insert_with(t, 2, || {
                reads += 1;
                summary(t)
            })
            .evidence
            .to_string()
        };
        for t in ["a", "b", "c"] {
            assert_eq!(get(&mut m, t), t);
        }
        // a, b were rotated to the old generation when c came; a is used again.
        assert_eq!(get(&mut m, "a"), "a");
        get(&mut m, "d");
        get(&mut m, "e");
        // a is still found; b was never used again: dropped with its
        // generation, and read again.
        assert_eq!(get(&mut m, "a"), "a");
        assert_eq!(get(&mut m, "b"), "b");
        assert_eq!(reads, 6);
        assert_eq!(m.stats(), MemoStats { hits: 2, misses: 6, titles: 4 });
    }
}
