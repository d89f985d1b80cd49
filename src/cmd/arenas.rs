//! Bounded allocator arenas for the batch jobs.
//!
//! glibc gives threads their own malloc arenas (up to 8 per core) and keeps
//! freed memory in the arena that allocated it. A run uses worker threads for
//! its passes, then the query engine's threads (and their blocking I/O helpers)
//! for the aggregation: with the default, those allocate in fresh arenas while
//! the earlier ones still hold their peak, and peak RSS adds up (measured: 270
//! MB instead of 165 MB for 1M postings with two arenas). Arenas are a process-start setting
//! (`GLIBC_TUNABLES`), so `zhiye run` re-executes itself once with
//! `glibc.malloc.arena_max` set, unless the caller already set tunables.

use std::os::unix::process::CommandExt;

/// Arenas per process: the workers allocate mostly per batch, so two arenas
/// cost no measurable speed on the main pass.
const ARENA_MAX: usize = 2;

/// Re-executes the current process with `glibc.malloc.arena_max` set; returns
/// (doing nothing) if tunables are already set or the re-exec fails.
pub fn limit_malloc_arenas() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) || std::env::var_os("GLIBC_TUNABLES").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    // `exec` only returns on failure; the run then goes on with the default arenas.
    let _ = std::process::Command::new(exe)
        .args(args)
        .env("GLIBC_TUNABLES", format!("glibc.malloc.arena_max={ARENA_MAX}"))
        .exec();
}
