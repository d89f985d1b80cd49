//! [`Scratches`]: one [`Scratch`] per thread, kept across parallel calls.
//!
//! A scratch holds the worker's title memo; rayon's `map_init` makes a fresh
//! scratch for each job split, which would forget the titles at every batch.
//! Keeping one per thread keeps them for the whole run.

use std::cell::RefCell;

use thread_local::ThreadLocal;

use crate::{MemoStats, Scratch};

/// A scratch per thread that uses it.
#[derive(Debug, Default)]
pub struct Scratches(ThreadLocal<RefCell<Scratch>>);

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
        f(&mut self.0.get_or_default().borrow_mut())
    }

    /// The title memos' counts, summed over the threads.
    pub fn memo_stats(&mut self) -> MemoStats {
        let mut total = MemoStats::default();
        for s in self.0.iter_mut() {
            total += s.get_mut().memo_stats();
        }
        total
    }
}
