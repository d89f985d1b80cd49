//! [`Manifest`]: what the last completed run read and kept, so that the next
//! one classifies only what is new.
//!
//! For each input partition it records path, size, mtime and content hash
//! (BLAKE3), and the key of each row group's result in the state folder.
//! A partition whose size and mtime are unchanged keeps its recorded hash
//! without being read again (as `make` and `rsync` do); any other partition is
//! hashed. The [`Fingerprint`] records what the classification depends on
//! besides the partition's bytes: the binary, the taxonomy files, the rules
//! file and the options; when it changes, every partition is classified again.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use zhiye_core::Config;

use crate::{PipelineError, Result};

/// The manifest file in the state folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Bumped when the manifest's or the state files' layout changes: an older
/// state is then ignored (everything is classified again), never misread.
pub(crate) const FORMAT: u32 = 1;

/// What a completed run read and kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`] of the writer.
    pub format: u32,
    /// What the classification depended on.
    pub fingerprint: Fingerprint,
    /// The input partitions, in path order.
    pub partitions: Vec<Partition>,
}

/// One input partition (a Parquet file of the corpus).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    /// Path relative to the corpus folder.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// BLAKE3 of the content, hex.
    pub hash: String,
    /// Rows, from the file's metadata.
    pub rows: u64,
    /// Key of each row group's result in the state folder, in row-group order
    /// (empty until the partition has been processed).
    pub groups: Vec<String>,
}

/// What classification depends on besides the postings, as BLAKE3 hex digests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The crate version and the running executable's size and mtime.
    pub binary: String,
    /// `csco22.csv`, `cncity.csv` and `stopwords.txt` of the taxonomy folder.
    pub taxonomy: String,
    /// The rules file (empty: none).
    pub rules: String,
    /// The options that shape the classified rows and the in-pass counts,
    /// with the fusion weights and description model files they name.
    pub options: String,
}

impl Fingerprint {
    /// The fingerprint of a configuration, from the files it names.
    pub fn of(config: &Config) -> Result<Fingerprint> {
        // The executable's size and mtime, not its bytes: hashing hundreds of
        // MB every night would cost more than it tells (a rebuild changes the mtime).
        let exe = std::env::current_exe().and_then(std::fs::metadata).ok();
        let stamp = exe.map(|m| (m.len(), m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok())));
        let binary = format!("zhiye {} exe {stamp:?}", env!("CARGO_PKG_VERSION"));
        let mut taxonomy = blake3::Hasher::new();
        for name in ["csco22.csv", "cncity.csv", "stopwords.txt"] {
            let path = config.taxonomy.dir.join(name);
            // Optional files hash as absent; the required one fails later with its own message.
            taxonomy.update(name.as_bytes());
            taxonomy.update(hash_file(&path).unwrap_or_default().as_bytes());
        }
        let c = &config.classify;
        // An empty path names no file: it hashes as empty.
        let optional = |p: &Path| if p.as_os_str().is_empty() { Ok(String::new()) } else { hash_file(p) };
        let rules = optional(&c.rules)?;
        let a = &config.aggregate;
        let options = format!(
            "top_k={} description_weight={} level_threshold={} missing_headcount={} ai_keywords={:?} fusion={} description_model={}",
            c.top_k,
            c.description_weight,
            c.level_threshold,
            a.missing_headcount,
            a.ai_keywords,
            optional(&c.fusion)?,
            optional(&c.description_model)?
        );
        Ok(Fingerprint {
            binary,
            taxonomy: taxonomy.finalize().to_hex().to_string(),
            rules,
            options: blake3::hash(options.as_bytes()).to_hex().to_string(),
        })
    }

    /// One digest of all four.
    pub fn digest(&self) -> String {
        let mut h = blake3::Hasher::new();
        for part in [&self.binary, &self.taxonomy, &self.rules, &self.options] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        h.finalize().to_hex().to_string()
    }
}

/// BLAKE3 of a file's content, hex.
pub fn hash_file(path: &Path) -> Result<String> {
    let mut h = blake3::Hasher::new();
    // Streamed, not mapped: mapped pages would count as the run's memory.
    std::fs::File::open(path).and_then(|f| h.update_reader(f).map(|_| ())).map_err(PipelineError::read(path))?;
    Ok(h.finalize().to_hex().to_string())
}

impl Manifest {
    /// Reads the manifest of a state folder; a missing or older-format one is
    /// an empty manifest (a first run).
    pub fn load(state: &Path) -> Result<Manifest> {
        let path = state.join(MANIFEST_FILE);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(PipelineError::read(path)(e)),
        };
        let m: Manifest = serde_json::from_slice(&text).map_err(PipelineError::json(path))?;
        Ok(if m.format == FORMAT { m } else { Manifest::default() })
    }

    /// Writes the manifest atomically (temporary file, fsync, rename).
    pub fn save(&self, state: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("a manifest serializes");
        write_atomic(&state.join(MANIFEST_FILE), &json)
    }

    /// The partition recorded under a relative path.
    pub fn get(&self, path: &str) -> Option<&Partition> {
        self.partitions.binary_search_by(|p| p.path.as_str().cmp(path)).ok().map(|i| &self.partitions[i])
    }
}

/// The corpus's partitions now: hashes reused from `previous` where size and
/// mtime are unchanged, computed (in parallel) for the others. `groups` are
/// left empty; the caller fills them.
pub fn scan(corpus: &Path, files: &[PathBuf], previous: &Manifest) -> Result<Vec<Partition>> {
    let rows: Vec<u64> = {
        let mut rows = vec![0u64; files.len()];
        let groups = zhiye_ingest::row_groups(files)?;
        for g in &groups {
            rows[files.binary_search(&g.path).expect("a listed file")] += g.rows;
        }
        rows
    };
    files
        .par_iter()
        .zip(rows)
        .map(|(path, rows)| {
            let io = |source| PipelineError::Read { path: path.clone(), source };
            let meta = std::fs::metadata(path).map_err(io)?;
            let mtime_ns = meta
                .modified()
                .map_err(io)?
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
            let rel = relative(corpus, path);
            let hash = match previous.get(&rel) {
                Some(p) if p.size == meta.len() && p.mtime_ns == mtime_ns => p.hash.clone(),
                _ => hash_file(path)?,
            };
            Ok(Partition { path: rel, size: meta.len(), mtime_ns, hash, rows, groups: Vec::new() })
        })
        .collect()
}

/// `path` relative to `corpus`, with `/` separators.
pub fn relative(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// [`zhiye_core::fs::write_atomic`], its error naming the file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    zhiye_core::fs::write_atomic(path, bytes).map_err(|source| PipelineError::Write { path: path.into(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parquet(path: &Path, values: &[i32]) {
        use std::sync::Arc;
        let schema = Arc::new(arrow_schema::Schema::new(vec![arrow_schema::Field::new(
            "x",
            arrow_schema::DataType::Int32,
            false,
        )]));
        let column = Arc::new(arrow_array::Int32Array::from(values.to_vec()));
        let batch = arrow_array::RecordBatch::try_new(schema.clone(), vec![column]).unwrap();
        zhiye_ingest::write_parquet(path, schema, &[batch]).unwrap();
    }

    #[test]
    fn unchanged_files_keep_their_hash_and_changed_ones_are_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let a = corpus.join("2021/a.parquet");
        parquet(&a, &[1, 2, 3]);
        let files = vec![a.clone()];
        let first = scan(&corpus, &files, &Manifest::default()).unwrap();
        assert_eq!(first[0].path, "2021/a.parquet");
        assert_eq!(first[0].rows, 3);
        assert_eq!(first[0].hash, hash_file(&a).unwrap());
        // Same size and mtime: the recorded hash is trusted, the file not read.
        let mut recorded = Manifest { format: FORMAT, fingerprint: Fingerprint::default(), partitions: first.clone() };
        recorded.partitions[0].hash = "recorded".into();
        assert_eq!(scan(&corpus, &files, &recorded).unwrap()[0].hash, "recorded");
        // Rewritten: hashed again.
        std::thread::sleep(std::time::Duration::from_millis(10));
        parquet(&a, &[1, 2, 3, 4]);
        let again = scan(&corpus, &files, &recorded).unwrap();
        assert_eq!(again[0].hash, hash_file(&a).unwrap());
        assert_ne!(again[0].hash, first[0].hash);
        assert_eq!(again[0].rows, 4);

        recorded.save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), recorded);
        let mut old = recorded.clone();
        old.format = FORMAT + 1;
        old.save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), Manifest::default());
    }

    #[test]
    fn relative_paths_use_slashes() {
        assert_eq!(relative(Path::new("/c"), Path::new("/c/2021/07.parquet")), "2021/07.parquet");
    }
}
