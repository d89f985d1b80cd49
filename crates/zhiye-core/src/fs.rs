//! Atomic file writing, the one copy every crate uses.
//!
//! A file is written to a hidden temporary file in its own folder (`.zhiye-*.tmp`,
//! so listings of `*.parquet` or `*.csv` never see it), synced, then renamed
//! onto its name: a reader, or a crash, sees the old file or the new one, never
//! part of one. A temporary file that is not persisted is removed when dropped.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// A new temporary file beside `path`, its folder created if missing; write
/// it, then [`persist`] it onto `path`.
pub fn temp_beside(path: &Path) -> io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    tempfile::Builder::new().prefix(".zhiye-").suffix(".tmp").tempfile_in(dir)
}

/// Syncs `tmp` and renames it onto `path`.
pub fn persist(tmp: NamedTempFile, path: &Path) -> io::Result<()> {
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `path` atomically (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = temp_beside(path)?;
    // Through the file itself: the temporary file's own writer would add its
    // random name to the error, where the caller names the real one.
    tmp.as_file_mut().write_all(bytes)?;
    persist(tmp, path)
}

/// Writes `path` atomically through `write`, which gets a buffered writer;
/// nothing is left behind if it fails.
pub fn write_atomic_with<T, E: From<io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&File>) -> Result<T, E>,
) -> Result<T, E> {
    let tmp = temp_beside(path)?;
    let mut w = BufWriter::new(tmp.as_file());
    let value = write(&mut w)?;
    w.into_inner().map_err(io::IntoInnerError::into_error)?;
    persist(tmp, path)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic_with(&path, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"old").unwrap();
        let r: io::Result<()> = write_atomic_with(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        });
        assert_eq!(r.unwrap_err().to_string(), "stopped");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
