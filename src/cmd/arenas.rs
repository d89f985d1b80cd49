//! glibc malloc settings for the batch jobs.
//!
//! The defaults let peak memory depend on the run's history rather than its
//! working set, which makes peak RSS grow with the corpus:
//! - glibc gives threads their own arenas (up to 8 per core) and keeps freed
//!   memory in the arena that allocated it. A run's passes use worker threads,
//!   then the query engine's threads: with fresh arenas each, peaks add up
//!   (measured: 270 MB instead of 165 MB for 1M postings). Two arenas cost no
//!   measurable speed, since workers allocate mostly per batch.
//! - The mmap threshold rises to the size of every large block freed (up to
//!   32 MiB), after which blocks of a row group's size come from the heap and
//!   stay resident when freed; the trim threshold follows it. Fixed at 256 KiB,
//!   large buffers go back to the system when freed (measured on 1M postings:
//!   peak 177 → 133 MB, main pass 140 → 119 MB, same speed).
//!
//! These are process-start settings (`GLIBC_TUNABLES`; the workspace forbids
//! the `unsafe` a `mallopt` call would need), so the batch commands re-execute
//! themselves once with them, unless the caller already set tunables.

use std::os::unix::process::CommandExt;

/// The settings: two arenas, and fixed 256 KiB mmap and trim thresholds.
const TUNABLES: &str = "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=262144";

/// Re-executes the current process with [`TUNABLES`]; returns (doing
/// nothing) if tunables are already set or the re-exec fails.
pub fn limit_malloc_arenas() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) || std::env::var_os("GLIBC_TUNABLES").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    // `exec` only returns on failure; the run then goes on with the defaults.
    let _ = std::process::Command::new(exe).args(args).env("GLIBC_TUNABLES", TUNABLES).exec();
}
