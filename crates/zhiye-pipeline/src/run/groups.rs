//! The main pass as row-group tasks whose results are kept between runs.
//!
//! A row group's classified postings depend on its bytes and the
//! [`Fingerprint`](super::manifest::Fingerprint) (classification, parsing), and
//! on its place in the corpus and the reposts it takes part in (the `row` and
//! `dup_of` columns, the vacancy counts). The result is kept in the state
//! folder as `<key>.parquet` and `<key>.json` (its [`Totals`]), the key being a
//! digest of all of that, so a task is one of:
//!
//! - [`Plan::Reuse`]: a result under the same key exists: nothing to do;
//! - [`Plan::Reassemble`]: the same postings were classified before but their
//!   row numbers or reposts changed: rewrite those two columns, no classification;
//! - [`Plan::Classify`]: new or changed postings: the full main pass.
//!
//! The JSON file is written after the Parquet file and is the commit mark: a
//! run killed between the two leaves no result that the next run would trust.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zhiye_ingest::RowGroupRef;
use zhiye_text::Scratches;

use super::classify_stage::ClassifyStage;
use super::manifest::{Manifest, Partition, write_atomic};
use super::progress::Progress;
use super::repost_file::RepostFile;
use super::{Totals, global_row};
use crate::{PipelineError, Result};

/// What a row group needs this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Its result is kept under its key.
    Reuse,
    /// Its postings were classified before under this key.
    Reassemble(String),
    /// Classify it.
    Classify,
}

/// One row group of the corpus, with the key of its result.
#[derive(Clone, Debug)]
pub(crate) struct Task {
    pub(crate) group: RowGroupRef,
    /// The key of its result in the state folder.
    pub(crate) key: String,
    /// Its file in a version's `classified/` folder.
    pub(crate) name: PathBuf,
    pub(crate) plan: Plan,
}

/// Row groups by plan, for the run summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupCounts {
    /// Row groups whose kept result was used as it was.
    pub reused: u64,
    /// Row groups re-numbered or re-flagged without classification.
    pub reassembled: u64,
    /// Row groups classified.
    pub classified: u64,
    /// Postings classified (the rows of the classified row groups).
    pub rows_classified: u64,
}

/// Plans every row group of `files`, and records each group's key in `partitions`.
pub(crate) fn plan(
    corpus: &Path,
    files: &[PathBuf],
    partitions: &mut [Partition],
    previous: &Manifest,
    fingerprint: &str,
    reposts: &RepostFile,
    groups_dir: &Path,
) -> Result<Vec<Task>> {
    // Earlier results of the same postings under the same fingerprint, by (content hash, row group).
    let mut earlier: HashMap<(&str, usize), &str> = HashMap::new();
    if previous.fingerprint.digest() == fingerprint {
        for p in &previous.partitions {
            for (i, key) in p.groups.iter().enumerate() {
                earlier.insert((p.hash.as_str(), i), key.as_str());
            }
        }
    }
    let mut tasks = Vec::new();
    let mut pairs = Vec::new();
    for g in zhiye_ingest::row_groups(files)? {
        let file = files.binary_search(&g.path).expect("a listed file");
        let partition = &mut partitions[file];
        reposts.range(global_row(file, g.first_row), global_row(file, g.first_row + g.rows), &mut pairs)?;
        let mut h = blake3::Hasher::new();
        h.update(fingerprint.as_bytes());
        h.update(partition.hash.as_bytes());
        for n in [file as u64, g.row_group as u64, g.first_row, g.rows, pairs.len() as u64] {
            h.update(&n.to_le_bytes());
        }
        for &(row, anchor) in &pairs {
            h.update(&row.to_le_bytes());
            h.update(&anchor.to_le_bytes());
        }
        let key = h.finalize().to_hex()[..32].to_string();
        let plan = if committed(groups_dir, &key) {
            Plan::Reuse
        } else {
            match earlier.get(&(partition.hash.as_str(), g.row_group)) {
                Some(&old) if committed(groups_dir, old) => Plan::Reassemble(old.to_string()),
                _ => Plan::Classify,
            }
        };
        partition.groups.push(key.clone());
        let rel = g.path.strip_prefix(corpus).unwrap_or(&g.path).with_extension("");
        let name = PathBuf::from(format!("{}-rg{}.parquet", rel.display(), g.row_group));
        tasks.push(Task { group: g, key, name, plan });
    }
    Ok(tasks)
}

/// Whether a result is complete under `key`.
fn committed(groups_dir: &Path, key: &str) -> bool {
    groups_dir.join(format!("{key}.json")).is_file()
}

/// Runs the tasks in parallel (on the caller's pool) and links each result
/// into `classified`; returns the merged totals and what was done.
pub(crate) fn execute(
    stage: &ClassifyStage<'_>,
    tasks: &[Task],
    groups_dir: &Path,
    classified: &Path,
    progress: &dyn Progress,
) -> Result<(Totals, GroupCounts)> {
    let occupations = stage.occupations();
    // One scratch per worker thread for the whole pass: its title memo then
    // serves every row group the thread classifies.
    let scratches = Scratches::new();
    let done = tasks
        .par_iter()
        .map(|task| {
            let data = groups_dir.join(format!("{}.parquet", task.key));
            let sidecar = groups_dir.join(format!("{}.json", task.key));
            let mut counts = GroupCounts::default();
            let totals = match &task.plan {
                Plan::Reuse => {
                    counts.reused = 1;
                    load(&sidecar)?
                }
                Plan::Reassemble(old) => {
                    counts.reassembled = 1;
                    let from = groups_dir.join(format!("{old}.parquet"));
                    let old = load(&groups_dir.join(format!("{old}.json")))?;
                    let t = stage.reassemble(&task.group, &from, &data, old)?;
                    save(&sidecar, &t)?;
                    t
                }
                Plan::Classify => {
                    counts.classified = 1;
                    counts.rows_classified = task.group.rows;
                    let t = scratches.with(|scratch| stage.classify(scratch, &task.group, &data))?;
                    save(&sidecar, &t)?;
                    t
                }
            };
            tracing::debug!(group = %task.name.display(), plan = ?task.plan, rows = task.group.rows, "row group done");
            progress.advance(task.group.rows);
            if totals.written > 0 {
                let link = classified.join(&task.name);
                let io = |source| PipelineError::Write { path: link.clone(), source };
                std::fs::create_dir_all(link.parent().unwrap_or(classified)).map_err(io)?;
                std::fs::hard_link(&data, &link).map_err(io)?;
            }
            let mut totals = totals;
            totals.outputs = Vec::new();
            Ok::<_, PipelineError>((totals, counts))
        })
        .try_reduce(
            || (Totals::new(occupations), GroupCounts::default()),
            |(a, x), (b, y)| {
                let counts = GroupCounts {
                    reused: x.reused + y.reused,
                    reassembled: x.reassembled + y.reassembled,
                    classified: x.classified + y.classified,
                    rows_classified: x.rows_classified + y.rows_classified,
                };
                Ok((a.merge(b), counts))
            },
        )?;
    Ok(done)
}

fn load(path: &Path) -> Result<Totals> {
    let text = std::fs::read(path).map_err(PipelineError::read(path))?;
    serde_json::from_slice(&text).map_err(PipelineError::json(path))
}

fn save(path: &Path, totals: &Totals) -> Result<()> {
    let json = serde_json::to_vec(totals).map_err(PipelineError::json(path))?;
    write_atomic(path, &json)
}

/// Deletes the results in `groups_dir` that no partition of `manifest` uses
/// (published versions keep their own hard links).
pub(crate) fn collect_garbage(groups_dir: &Path, manifest: &Manifest) -> Result<u64> {
    let live: std::collections::HashSet<&str> =
        manifest.partitions.iter().flat_map(|p| p.groups.iter().map(String::as_str)).collect();
    let mut removed = 0;
    let entries = match std::fs::read_dir(groups_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(PipelineError::read(groups_dir)(e)),
    };
    for entry in entries {
        let path = entry.map_err(PipelineError::read(groups_dir))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // Hidden files are temporary files of a killed run (this run holds the lock).
        let key = name.split('.').next().unwrap_or_default();
        if name.starts_with('.') || !live.contains(key) {
            std::fs::remove_file(&path).map_err(PipelineError::write(&path))?;
            removed += 1;
        }
    }
    Ok(removed)
}
