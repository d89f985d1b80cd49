//! Worker pools of a fixed size, and [`on_pool`] for a pass whose workers
//! must be gone when it returns (as the pipeline's own passes: glibc keeps
//! freed memory in the arena of the thread that allocated it, so live idle
//! workers would add their retained memory to the next segment's peak).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::ThreadPool;

use super::{BenchError, Result};

/// A pool of exactly `threads` workers whose exit can be awaited.
pub(crate) struct Pool {
    pool: ThreadPool,
    live: Arc<AtomicUsize>,
}

impl Pool {
    pub(crate) fn new(threads: usize) -> Result<Pool> {
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
            .map_err(|e| BenchError::Options(format!("{threads} worker threads: {e}")))?;
        Ok(Pool { pool, live })
    }

    pub(crate) fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        self.pool.install(f)
    }

    /// Tears the pool down and waits until every worker has exited.
    pub(crate) fn close(self) {
        let Pool { pool, live } = self;
        drop(pool);
        while live.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        // The exit handler runs just before a worker's thread-local destructors.
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `f` on a fresh pool of `threads` workers, torn down before returning.
pub(crate) fn on_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T> {
    let pool = Pool::new(threads)?;
    let out = pool.install(f);
    pool.close();
    Ok(out)
}
