//! [`RepostFile`]: the `(row, dup_of)` pairs of the reposts, sorted by row,
//! on disk.
//!
//! About one posting in seven is a repost, so holding the pairs in memory
//! through the main pass would cost 16 bytes × 14% of the corpus (1.8 GB for
//! 800M postings) and make peak memory grow with the corpus. Each sweep pass
//! writes its pairs as a sorted run; [`RepostWriter::finish`] merges the runs
//! into one file, and each row group of the main pass reads only its own
//! range of rows ([`RepostFile::range`]), found by binary search with
//! positioned reads.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::{PipelineError, Result};

/// Bytes per pair: row and dup_of, little-endian `u64`s.
const PAIR: u64 = 16;

/// Collects sorted runs of pairs in a spill folder.
#[derive(Debug)]
pub(crate) struct RepostWriter {
    dir: PathBuf,
    runs: Vec<PathBuf>,
}

/// The merged pairs; the spill folder is removed when this is dropped.
#[derive(Debug)]
pub(crate) struct RepostFile {
    dir: Option<PathBuf>,
    file: Option<File>,
    path: PathBuf,
    len: u64,
}

/// I/O on the run's own spill files: reading one back fails only as writing it could.
fn io(path: &Path) -> impl Fn(std::io::Error) -> PipelineError + '_ {
    move |source| PipelineError::Write { path: path.to_path_buf(), source }
}

fn encode(pair: (u64, u64)) -> [u8; PAIR as usize] {
    let mut b = [0u8; PAIR as usize];
    b[..8].copy_from_slice(&pair.0.to_le_bytes());
    b[8..].copy_from_slice(&pair.1.to_le_bytes());
    b
}

fn decode(b: &[u8]) -> (u64, u64) {
    let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    (word(0), word(8))
}

impl RepostWriter {
    /// A writer spilling into `dir` (created, emptied first).
    pub(crate) fn new(dir: &Path) -> Result<RepostWriter> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        Ok(RepostWriter { dir: dir.to_path_buf(), runs: Vec::new() })
    }

    /// Sorts `pairs` by row and writes them as one run.
    pub(crate) fn add_run(&mut self, mut pairs: Vec<(u64, u64)>) -> Result<()> {
        pairs.sort_unstable();
        let path = self.dir.join(format!("run-{}.bin", self.runs.len()));
        let mut w = BufWriter::new(File::create(&path).map_err(io(&path))?);
        for &p in &pairs {
            w.write_all(&encode(p)).map_err(io(&path))?;
        }
        w.flush().map_err(io(&path))?;
        self.runs.push(path);
        Ok(())
    }

    /// Merges the runs into one file sorted by row.
    pub(crate) fn finish(self) -> Result<RepostFile> {
        let path = self.dir.join("reposts.bin");
        if self.runs.len() == 1 {
            std::fs::rename(&self.runs[0], &path).map_err(io(&path))?;
        } else {
            let mut out = BufWriter::new(File::create(&path).map_err(io(&path))?);
            let mut readers = Vec::with_capacity(self.runs.len());
            for run in &self.runs {
                readers.push(BufReader::with_capacity(16 << 10, File::open(run).map_err(io(run))?));
            }
            let next = |r: usize, readers: &mut [BufReader<File>]| -> Result<Option<(u64, u64)>> {
                let mut b = [0u8; PAIR as usize];
                match readers[r].read_exact(&mut b) {
                    Ok(()) => Ok(Some(decode(&b))),
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                    Err(e) => Err(io(&self.runs[r])(e)),
                }
            };
            let mut heap = BinaryHeap::new();
            for r in 0..readers.len() {
                if let Some(p) = next(r, &mut readers)? {
                    heap.push(Reverse((p, r)));
                }
            }
            while let Some(Reverse((p, r))) = heap.pop() {
                out.write_all(&encode(p)).map_err(io(&path))?;
                if let Some(p) = next(r, &mut readers)? {
                    heap.push(Reverse((p, r)));
                }
            }
            out.flush().map_err(io(&path))?;
            for run in &self.runs {
                std::fs::remove_file(run).map_err(io(run))?;
            }
        }
        let file = File::open(&path).map_err(io(&path))?;
        let len = file.metadata().map_err(io(&path))?.len() / PAIR;
        Ok(RepostFile { dir: Some(self.dir), file: Some(file), path, len })
    }
}

impl RepostFile {
    /// No reposts (de-duplication off).
    pub(crate) fn empty() -> RepostFile {
        RepostFile { dir: None, file: None, path: PathBuf::new(), len: 0 }
    }

    /// Number of pairs.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    fn pair(&self, file: &File, i: u64) -> Result<(u64, u64)> {
        let mut b = [0u8; PAIR as usize];
        file.read_exact_at(&mut b, i * PAIR).map_err(io(&self.path))?;
        Ok(decode(&b))
    }

    /// Replaces `out` with the pairs whose row is in `lo..hi`, in row order.
    pub(crate) fn range(&self, lo: u64, hi: u64, out: &mut Vec<(u64, u64)>) -> Result<()> {
        out.clear();
        let Some(file) = &self.file else { return Ok(()) };
        // First pair with row >= lo.
        let (mut a, mut b) = (0, self.len);
        while a < b {
            let mid = a + (b - a) / 2;
            if self.pair(file, mid)?.0 < lo { a = mid + 1 } else { b = mid }
        }
        let mut buf = vec![0u8; (PAIR * 512) as usize];
        let mut at = a;
        while at < self.len {
            let n = (self.len - at).min(512);
            let bytes = &mut buf[..(n * PAIR) as usize];
            file.read_exact_at(bytes, at * PAIR).map_err(io(&self.path))?;
            for chunk in bytes.chunks_exact(PAIR as usize) {
                let p = decode(chunk);
                if p.0 >= hi {
                    return Ok(());
                }
                out.push(p);
            }
            at += n;
        }
        Ok(())
    }

    /// Every pair, for tests.
    #[cfg(test)]
    pub(crate) fn all(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        self.range(0, u64::MAX, &mut out).unwrap();
        out
    }
}

impl Drop for RepostFile {
    fn drop(&mut self) {
        self.file = None;
        if let Some(dir) = &self.dir {
            // A leftover spill folder is removed by the next run anyway.
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_and_ranges_match_a_sorted_vector() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = RepostWriter::new(&dir.path().join("spill")).unwrap();
        let mut all = Vec::new();
        // Three interleaved runs of pseudo-random rows.
        for run in 0..3u64 {
            let pairs: Vec<(u64, u64)> = (0..2000u64).map(|i| ((i * 7919 + run * 13) % 100_003 * 3 + run, i)).collect();
            all.extend_from_slice(&pairs);
            w.add_run(pairs).unwrap();
        }
        all.sort_unstable();
        let f = w.finish().unwrap();
        assert_eq!(f.len(), 6000);
        assert_eq!(f.all(), all);
        let mut got = Vec::new();
        for (lo, hi) in [(0, 1), (1000, 5000), (299_000, 400_000), (5, 5), (u64::MAX - 1, u64::MAX)] {
            f.range(lo, hi, &mut got).unwrap();
            let want: Vec<_> = all.iter().copied().filter(|p| p.0 >= lo && p.0 < hi).collect();
            assert_eq!(got, want, "{lo}..{hi}");
        }
        let spill = dir.path().join("spill");
        assert!(spill.exists());
        drop(f);
        assert!(!spill.exists(), "the spill folder goes with the file");
    }
}
