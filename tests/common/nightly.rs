//! What the nightly tests share: a generated corpus, a configuration, runs,
//! the published files and runs killed at a chosen log event.
#![allow(dead_code)] // Each test binary uses its own part.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{taxonomy_dir, zhiye};

/// A generated corpus of 72 month partitions under `<dir>/all`.
pub fn corpus(dir: &Path, postings: u64) -> Vec<PathBuf> {
    let tax = taxonomy_dir();
    let n = postings.to_string();
    zhiye(dir, &["generate", "--postings", &n, "--seed", "11", "--out", "all", "--taxonomy", tax.to_str().unwrap()]);
    zhiye_ingest::list_parquet(&dir.join("all")).unwrap()
}

/// A configuration reading `corpus`, writing `out`, with `threads`.
pub fn config(dir: &Path, name: &str, corpus: &str, out: &str, threads: usize) -> String {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let text = format!(
        "[taxonomy]\ndir = {:?}\n[corpus]\ndir = {corpus:?}\ngenerate_postings = 0\n[classify]\nthreads = {threads}\nrules = {:?}\n\
         [exposure]\nlabels = \"labels.csv\"\n[output]\ndir = {out:?}\nkeep_versions = 2\n",
        taxonomy_dir().display().to_string(),
        rules.display().to_string()
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

pub fn run(dir: &Path, cfg: &str) -> Value {
    serde_json::from_str(&zhiye(dir, &["run", "--config", cfg, "--format", "json", "--log-format", "json"])).unwrap()
}

/// Every published file of `out/current` with its bytes, except the run's
/// own summary (it records timings and the run id).
pub fn published(out: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, into);
            } else if p.file_name().unwrap() != "run_summary.json" {
                into.insert(p.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&out.join("current"), &out.join("current"), &mut files);
    assert!(files.len() > 20, "{} published files under {}", files.len(), out.display());
    files
}

pub fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: different files");
    for (name, bytes) in a {
        assert!(bytes == &b[name], "{what}: {name} differs");
    }
}

pub fn link_partitions(files: &[PathBuf], all: &Path, into: &Path) {
    for f in files {
        let to = into.join(f.strip_prefix(all).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f, &to).unwrap();
    }
}

/// Starts a run and SIGKILLs it when its JSON log has shown `event` `after` times.
pub fn kill_at(dir: &Path, cfg: &str, event: &str, after: usize) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhiye"))
        .args(["run", "--config", cfg, "--log-format", "json", "--verbose"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let needle = format!("\"message\":\"{event}\"");
    let mut seen = 0;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        if line.unwrap().contains(&needle) {
            seen += 1;
            if seen == after {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                return true;
            }
        }
    }
    child.wait().unwrap();
    false
}
