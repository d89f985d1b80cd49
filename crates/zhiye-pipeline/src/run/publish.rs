//! The output folder's layout, and atomic publishing of a run's outputs.
//!
//! ```text
//! <output.dir>/
//!   current -> versions/<id>     the newest published version (a symlink)
//!   versions/<id>/               published versions, never modified once there
//!   .state/manifest.json         partitions read, row-group results kept
//!   .state/groups/<key>.parquet  one row group's classified postings (+ .json: its counts)
//!   .state/staging/<id>/         the run being built
//!   .lock                        the run lock
//! ```
//!
//! A run writes everything under `.state/staging/<id>`, renames the folder to
//! `versions/<id>` and then replaces the `current` symlink by renaming a new
//! one over it: a reader that opens `current/...` sees a whole version, the
//! old or the new one, never a mix. The classified postings of a version are
//! hard links to the state's row-group files, so keeping versions costs no copy.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{RunSummary, SUMMARY_FILE};
use crate::{PipelineError, Result};

/// Where things are under an output folder.
#[derive(Clone, Debug)]
pub struct Layout {
    /// `<output.dir>`.
    pub root: PathBuf,
    /// `.state`: manifest and row-group results.
    pub state: PathBuf,
    /// `.state/groups`.
    pub groups: PathBuf,
    /// `.state/staging`.
    pub staging: PathBuf,
    /// `versions`.
    pub versions: PathBuf,
    /// `current`.
    pub current: PathBuf,
}

impl Layout {
    /// The layout of an output folder.
    pub fn new(root: &Path) -> Layout {
        let state = root.join(".state");
        Layout {
            root: root.into(),
            groups: state.join("groups"),
            staging: state.join("staging"),
            state,
            versions: root.join("versions"),
            current: root.join("current"),
        }
    }

    /// A new run id: a sequence number above every published and staged
    /// run's, then the UTC time for people: `000012-20261127T051502Z`. The
    /// number orders the versions, so a clock set back between two runs (or
    /// two runs in one second) cannot reorder, overwrite or prune the wrong one.
    pub fn new_id(&self) -> String {
        let names =
            [&self.versions, &self.staging].into_iter().flat_map(|d| std::fs::read_dir(d).into_iter().flatten());
        let last = names.filter_map(|e| sequence(&e.ok()?.file_name().to_string_lossy())).max().unwrap_or(0);
        format!("{:06}-{}", last + 1, utc_stamp())
    }

    /// Moves a finished staging folder to `versions/<id>`, points `current` at
    /// it, and deletes the oldest versions beyond `keep` (at least 1).
    pub fn publish(&self, id: &str, keep: usize) -> Result<PathBuf> {
        let staged = self.staging.join(id);
        let version = self.versions.join(id);
        let io = PipelineError::write;
        std::fs::create_dir_all(&self.versions).map_err(io(&self.versions))?;
        sync_tree(&staged)?;
        std::fs::rename(&staged, &version).map_err(io(&version))?;
        let link = self.root.join(".current.tmp");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(Path::new("versions").join(id), &link).map_err(io(&link))?;
        std::fs::rename(&link, &self.current).map_err(io(&self.current))?;
        sync_dir(&self.root)?;
        self.prune(keep)?;
        Ok(version)
    }

    /// The id `current` points at.
    pub fn current_id(&self) -> Option<String> {
        let target = std::fs::read_link(&self.current).ok()?;
        Some(target.file_name()?.to_string_lossy().into_owned())
    }

    /// Published version ids, oldest first.
    pub fn version_ids(&self) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        let entries = match std::fs::read_dir(&self.versions) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ids),
            Err(e) => return Err(PipelineError::read(&self.versions)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(PipelineError::read(&self.versions))?;
            if entry.path().is_dir() {
                ids.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        // Ids of zhiye before the sequence numbers (a bare time) sort first.
        ids.sort_by_key(|id| (sequence(id).unwrap_or(0), id.clone()));
        Ok(ids)
    }

    fn prune(&self, keep: usize) -> Result<()> {
        let ids = self.version_ids()?;
        let current = self.current_id();
        let excess = ids.len().saturating_sub(keep.max(1));
        for id in ids.iter().take(excess).filter(|id| Some(id.as_str()) != current.as_deref()) {
            let path = self.versions.join(id);
            std::fs::remove_dir_all(&path).map_err(PipelineError::write(path))?;
        }
        Ok(())
    }

    /// The published versions with their summaries, oldest first.
    pub fn list(&self) -> Result<Vec<Version>> {
        let current = self.current_id();
        let mut out = Vec::new();
        for id in self.version_ids()? {
            let path = self.versions.join(&id);
            let summary = super::read_summary(&path).ok();
            out.push(Version { current: current.as_deref() == Some(id.as_str()), id, path, summary });
        }
        Ok(out)
    }
}

/// A published version.
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    /// Its id (the UTC time the run started).
    pub id: String,
    /// Its folder.
    pub path: PathBuf,
    /// Whether `current` points at it.
    pub current: bool,
    /// Its run summary, if readable.
    pub summary: Option<RunSummary>,
}

/// The current UTC time as `YYYYMMDDTHHMMSSZ`, for version names. When
/// `SOURCE_DATE_EPOCH` is set (the reproducible-builds convention: seconds
/// since 1970), it is the time, so that names can be reproduced.
pub fn utc_stamp() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    let now = fixed.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).unwrap_or_else(chrono::Utc::now);
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The folder readers should use: `<root>/current` once a version has been
/// published, else `root` itself (the layout before versions existed).
pub fn published(root: &Path) -> PathBuf {
    let current = root.join("current");
    if current.exists() { current } else { root.into() }
}

/// fsyncs every file under `dir`, then the folders, so that a published
/// version survives a power loss, not only a killed process.
fn sync_tree(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(PipelineError::write(dir))? {
        let path = entry.map_err(PipelineError::write(dir))?.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            std::fs::File::open(&path).and_then(|f| f.sync_all()).map_err(PipelineError::write(&path))?;
        }
    }
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(PipelineError::write(dir))
}

/// The sequence number a run id starts with (see [`Layout::new_id`]).
fn sequence(id: &str) -> Option<u64> {
    id.split_once('-').and_then(|(n, _)| n.parse().ok())
}

/// The summary file of a version (for `zhiye runs show`).
pub fn summary_path(version: &Path) -> PathBuf {
    version.join(SUMMARY_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_swaps_current_and_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        for (i, id) in ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z"].iter().enumerate() {
            let staged = layout.staging.join(id);
            std::fs::create_dir_all(staged.join("classified")).unwrap();
            std::fs::write(staged.join("table.csv"), format!("version {i}\n")).unwrap();
            layout.publish(id, 2).unwrap();
            assert_eq!(layout.current_id().as_deref(), Some(*id));
            assert_eq!(
                std::fs::read_to_string(published(dir.path()).join("table.csv")).unwrap(),
                format!("version {i}\n")
            );
            assert!(!staged.exists());
        }
        assert_eq!(layout.version_ids().unwrap(), ["20260102T000000Z", "20260103T000000Z"]);
        let listed = layout.list().unwrap();
        assert!(listed[1].current && !listed[0].current);
        assert!(listed[0].summary.is_none());
        let id = layout.new_id();
        assert!(id.starts_with("000001-") && id.ends_with('Z'), "{id}");
    }

    #[test]
    fn ids_follow_the_sequence_whatever_the_clock_says() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        // A version of an older zhiye, then two whose times run backwards.
        for id in ["20300101T000000Z", "000002-20300102T000000Z", "000003-20200101T000000Z"] {
            std::fs::create_dir_all(layout.versions.join(id)).unwrap();
        }
        std::fs::create_dir_all(layout.staging.join("000004-20100101T000000Z")).unwrap();
        assert_eq!(
            layout.version_ids().unwrap(),
            ["20300101T000000Z", "000002-20300102T000000Z", "000003-20200101T000000Z"]
        );
        assert!(layout.new_id().starts_with("000005-"));
    }
}
