//! [`TitleMemo`]: [`TitleSummary`]s, computed once per distinct title and
//! reused for its repeats by every worker that shares the memo.
//!
//! Board titles repeat (43,481 real sample postings hold 16,805 distinct
//! titles), and a title's summary (cleaning, rules, term matches, similarity,
//! title BM25, folded into one score per candidate) does not depend on the
//! description. The memo keeps the summaries of the titles seen, keyed by the
//! title's exact text, in shards locked apart so that workers rarely wait on
//! each other. A shard holds two generations of at most its share of
//! `capacity` titles each: a title found in the old generation moves to the
//! new one, and when the new one is full the old one is dropped. That keeps
//! the frequent titles at the cost of a hash lookup, in bounded memory,
//! without a clock or a list to maintain. Shared, a title is read once for
//! all workers, and the memory does not grow with their number.
//!
//! Invariant: a summary depends on the title alone and is used as computed
//! (two workers reading the same new title at once compute the same
//! summary), so results are byte-identical with the memo on or off, shared
//! or not, at any thread count.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::{FxBuildHasher, FxHashMap};

use super::summary::TitleSummary;

/// Shards of a memo: enough that 32 workers seldom meet on one.
const SHARDS: usize = 64;

/// Title summaries shared by the [`Scratch`](crate::Scratch)es that hold it
/// (see the module docs and [`Scratch::sharing`](crate::Scratch::sharing)).
#[derive(Debug)]
pub struct TitleMemo {
    shards: Box<[Mutex<Shard>]>,
}

type Summaries = FxHashMap<Box<str>, Arc<TitleSummary>>;

#[derive(Debug, Default)]
struct Shard {
    new: Summaries,
    old: Summaries,
}

impl Default for TitleMemo {
    fn default() -> Self {
        TitleMemo::new()
    }
}

impl TitleMemo {
    /// An empty memo.
    pub fn new() -> TitleMemo {
        TitleMemo { shards: (0..SHARDS).map(|_| Mutex::default()).collect() }
    }

    /// The summary of `title`, remembered (`true`), or else made by `read`
    /// and remembered (`false`). `capacity` titles per generation in all.
    pub(crate) fn get_or_insert_with(
        &self,
        title: &str,
        capacity: usize,
        read: impl FnOnce() -> TitleSummary,
    ) -> (Arc<TitleSummary>, bool) {
        let shard = &self.shards[(FxBuildHasher.hash_one(title) >> 58) as usize % SHARDS];
        let per_shard = capacity.div_ceil(SHARDS);
        if let Some(found) = shard.lock().unwrap_or_else(PoisonError::into_inner).get(title, per_shard) {
            return (found, true);
        }
        // Read without the lock: other workers go on meanwhile.
        let summary = Arc::new(read());
        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        shard.insert(title.into(), Arc::clone(&summary), per_shard);
        (summary, false)
    }

    /// Distinct titles remembered now.
    pub fn titles(&self) -> usize {
        self.shards.iter().map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).len()).sum()
    }
}

impl Shard {
    fn get(&mut self, title: &str, capacity: usize) -> Option<Arc<TitleSummary>> {
        if let Some(found) = self.new.get(title) {
            return Some(Arc::clone(found));
        }
        let (key, found) = self.old.remove_entry(title)?;
        self.insert(key, Arc::clone(&found), capacity);
        Some(found)
    }

    fn insert(&mut self, title: Box<str>, summary: Arc<TitleSummary>, capacity: usize) {
        if self.new.len() >= capacity {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(title, summary);
    }

    fn len(&self) -> usize {
        self.new.len() + self.old.len()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(tag: &str) -> TitleSummary {
        TitleSummary { evidence: tag.into(), ..TitleSummary::default() }
    }

    #[test]
    fn two_generations_keep_what_is_used_and_stay_bounded() {
        let mut shard = Shard::default();
        let mut get = |t: &str| -> Option<String> {
            let found = shard.get(t, 2).map(|s| s.evidence.to_string());
            if found.is_none() {
                shard.insert(t.into(), Arc::new(summary(t)), 2);
            }
            found
        };
        for t in ["a", "b", "c"] {
            assert_eq!(get(t), None);
        }
        // a, b were rotated to the old generation when c came; a is used again.
        assert_eq!(get("a").as_deref(), Some("a"));
        assert_eq!(get("d"), None);
        assert_eq!(get("e"), None);
        // a is still found; b was never used again: dropped with its
        // generation, and read again.
        assert_eq!(get("a").as_deref(), Some("a"));
        assert_eq!(get("b"), None);
        assert_eq!(shard.len(), 4);
    }

    #[test]
    fn a_title_is_read_once_and_capacity_bounds_the_titles() {
        let memo = TitleMemo::new();
        let mut reads = 0;
        for round in 0..2 {
            for i in 0..100 {
                let (s, hit) = memo.get_or_insert_with(&format!("t{i}"), 1 << 20, || {
                    reads += 1;
                    summary(&i.to_string())
                });
                assert_eq!((&*s.evidence, hit), (&*i.to_string(), round == 1));
            }
        }
        assert_eq!((reads, memo.titles()), (100, 100));
        let small = TitleMemo::new();
        for i in 0..10_000 {
            small.get_or_insert_with(&format!("t{i}"), 256, || summary(""));
        }
        // Two generations of at most 256 / 64 = 4 titles per shard.
        assert!(small.titles() <= 2 * 256, "{}", small.titles());
    }
}
