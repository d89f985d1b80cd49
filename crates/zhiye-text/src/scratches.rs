//! [`Scratches`]: one [`Scratch`] per thread, kept across parallel calls,
//! all sharing one title memo.
//!
//! A scratch's buffers grow on first use; rayon's `map_init` makes a fresh
//! scratch for each job split, which would grow them again at every batch.
//! Keeping one per thread keeps them for the whole run, and one
//! [`TitleMemo`] for all reads each title once.

use std::cell::RefCell;
use std::sync::Arc;

use thread_local::ThreadLocal;

use crate::{MemoStats, Scratch, TitleMemo};

/// A scratch per thread that uses it, and their shared title memo.
#[derive(Debug, Default)]
pub struct Scratches {
    scratches: ThreadLocal<RefCell<Scratch>>,
    memo: Arc<TitleMemo>,
}

impl Scratches {
    /// None yet: each thread makes its own on first use.
    pub fn new() -> Scratches {
        Scratches::default()
    }

    /// Calls `f` with this thread's scratch.
    ///
    /// # Panics
    /// If `f` calls `with` again on the same thread (the scratch is in use).
    pub fn with<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        f(&mut self.scratches.get_or(|| RefCell::new(Scratch::sharing(&self.memo))).borrow_mut())
    }

    /// The title lookups' counts, summed over the threads, and the titles
    /// remembered.
    pub fn memo_stats(&mut self) -> MemoStats {
        let mut total = MemoStats::default();
        for s in self.scratches.iter_mut() {
            let m = s.get_mut().memo_stats();
            total.hits += m.hits;
            total.misses += m.misses;
        }
        total.titles = self.memo.titles();
        total
    }
}
