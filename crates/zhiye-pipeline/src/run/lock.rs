//! [`RunLock`]: one run at a time per output folder.
//!
//! The lock is an advisory `flock` on `<output.dir>/.lock`, which the kernel
//! releases when the holder dies, however it dies: a run killed with SIGKILL
//! leaves no lock behind that could block the next night. The file itself
//! holds the holder's pid and start time, for the message a refused run prints,
//! and is emptied on a clean exit, so a non-empty file found unlocked is the
//! trace of a run that died: the next run says so and takes over. The file is
//! never deleted: deleting a lock file races with a process that has just
//! opened it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{PipelineError, Result};

/// The name of the lock file in the output folder.
pub const LOCK_FILE: &str = ".lock";

/// An acquired run lock; released on drop.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    /// What the file held when it was taken over from a dead run.
    pub stale: Option<String>,
}

impl RunLock {
    /// Takes the lock of `dir` (created if needed), or fails with
    /// [`PipelineError::Locked`] naming the holder.
    pub fn acquire(dir: &Path) -> Result<RunLock> {
        let path = RunLock::path(dir);
        let io = |source| PipelineError::Write { path: path.clone(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io)?;
        let mut held = String::new();
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                file.read_to_string(&mut held).map_err(io)?;
                return Err(PipelineError::Locked { path, holder: held.trim().to_string() });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.read_to_string(&mut held).map_err(io)?;
        let stale = (!held.trim().is_empty()).then(|| held.trim().to_string());
        let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "pid {} since unix time {started}", std::process::id()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(RunLock { file, stale })
    }

    /// The lock file of `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(LOCK_FILE)
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Empty means "left cleanly"; closing the file releases the flock.
        let _ = self.file.set_len(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_and_a_dead_holder_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        assert!(first.stale.is_none());
        let err = RunLock::acquire(dir.path()).unwrap_err();
        assert!(
            matches!(&err, PipelineError::Locked { holder, .. } if holder.contains(&std::process::id().to_string()))
        );
        drop(first);
        // A clean exit leaves an empty file: no takeover to report.
        assert!(RunLock::acquire(dir.path()).unwrap().stale.is_none());
        // A run that died left its pid behind, and no flock.
        std::fs::write(RunLock::path(dir.path()), "pid 4242 since unix time 1\n").unwrap();
        let taken = RunLock::acquire(dir.path()).unwrap();
        assert_eq!(taken.stale.as_deref(), Some("pid 4242 since unix time 1"));
    }
}
