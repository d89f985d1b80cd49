//! [`Pool`] and [`on_pool`]: run a pass on its own worker threads, which have
//! exited when it returns.
//!
//! glibc keeps freed memory in the arena of the thread that allocated it, and a
//! thread takes a new arena unless an exited thread has left one free. The
//! query engine runs on threads of its own after the main pass; if the main
//! pass's threads were still alive, the engine would allocate fresh arenas
//! beside the ones the main pass retains, and the peaks would add up. Passes
//! therefore run on a pool that is torn down at their end.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::ThreadPool;

use crate::{PipelineError, Result};

/// A pool of exactly `threads` workers (0: one per core) whose exit can be awaited.
#[derive(Debug)]
pub struct Pool {
    pool: ThreadPool,
    live: Arc<AtomicUsize>,
}

impl Pool {
    /// Starts the workers.
    pub fn new(threads: usize) -> Result<Pool> {
        let live = Arc::new(AtomicUsize::new(0));
        let (started, exited) = (live.clone(), live.clone());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .start_handler(move |_| {
                started.fetch_add(1, Ordering::SeqCst);
            })
            .exit_handler(move |_| {
                exited.fetch_sub(1, Ordering::SeqCst);
            })
            .build()
            .map_err(|source| PipelineError::Threads { threads, source })?;
        Ok(Pool { pool, live })
    }

    /// Runs `f` on the pool's workers.
    pub fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        self.pool.install(f)
    }

    /// Tears the pool down and waits until every worker has exited.
    pub fn close(self) {
        let Pool { pool, live } = self;
        drop(pool);
        while live.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        // The exit handler runs just before a worker's thread-local destructors, which free its arena.
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `f` on a fresh pool of `threads` workers (0: one per core) and waits
/// until every worker has exited.
pub fn on_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T> {
    let pool = Pool::new(threads)?;
    let out = pool.install(f);
    pool.close();
    Ok(out)
}
