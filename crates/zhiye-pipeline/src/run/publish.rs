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
use std::time::{SystemTime, UNIX_EPOCH};

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

    /// A new run id: the UTC time, `20261127T051502Z`, with a suffix if a
    /// version of that second exists.
    pub fn new_id(&self) -> String {
        let base = utc_stamp();
        let mut id = base.clone();
        let mut n = 1;
        while self.versions.join(&id).exists() || self.staging.join(&id).exists() {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }

    /// Moves a finished staging folder to `versions/<id>`, points `current` at
    /// it, and deletes the oldest versions beyond `keep` (at least 1).
    pub fn publish(&self, id: &str, keep: usize) -> Result<PathBuf> {
        let staged = self.staging.join(id);
        let version = self.versions.join(id);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |e: std::io::Error| PipelineError::Output { path, message: e.to_string() }
        };
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
            Err(e) => return Err(PipelineError::State { path: self.versions.clone(), message: e.to_string() }),
        };
        for entry in entries {
            let entry =
                entry.map_err(|e| PipelineError::State { path: self.versions.clone(), message: e.to_string() })?;
            if entry.path().is_dir() {
                ids.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        ids.sort();
        Ok(ids)
    }

    fn prune(&self, keep: usize) -> Result<()> {
        let ids = self.version_ids()?;
        let current = self.current_id();
        let excess = ids.len().saturating_sub(keep.max(1));
        for id in ids.iter().take(excess).filter(|id| Some(id.as_str()) != current.as_deref()) {
            let path = self.versions.join(id);
            std::fs::remove_dir_all(&path).map_err(|e| PipelineError::Output { path, message: e.to_string() })?;
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

/// The current UTC time as `YYYYMMDDTHHMMSSZ`: the name of a version.
pub fn utc_stamp() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (y, m, d) = zhiye_postings::date::civil_from_days(secs.div_euclid(86_400) as i32);
    let t = secs.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", t / 3600, t / 60 % 60, t % 60)
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
    let io = |path: &Path, e: std::io::Error| PipelineError::Output { path: path.into(), message: e.to_string() };
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            std::fs::File::open(&path).and_then(|f| f.sync_all()).map_err(|e| io(&path, e))?;
        }
    }
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| PipelineError::Output { path: dir.into(), message: e.to_string() })
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
        assert!(id.len() >= 16 && id.ends_with('Z'), "{id}");
    }
}
