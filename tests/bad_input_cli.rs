//! `zhiye run` with an unreadable file in its corpus, under both `[input]
//! on_bad_file` policies: "fail" publishes nothing and exits 4; "skip" leaves
//! the file out, lists it with its reason, publishes the good files' rows
//! exactly as a run without the bad file would, and exits 5.

mod common;

use std::path::{Path, PathBuf};

use common::{files, taxonomy_dir, zhiye, zhiye_output};

fn config(dir: &Path, policy: &str) -> PathBuf {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let text = format!(
        "[taxonomy]\ndir = {:?}\n[corpus]\ndir = \"corpus\"\ngenerate_postings = 3000\nseed = 11\n[input]\non_bad_file = \"{policy}\"\n[classify]\nrules = {:?}\n[output]\ndir = \"out\"\nreport = false\n",
        taxonomy_dir().display().to_string(),
        rules.display().to_string()
    );
    let path = dir.join(format!("{policy}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("out/current/run_summary.json")).unwrap()).unwrap()
}

/// The classified postings of the published version, file by file.
fn classified(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(&dir.join("out/current/classified"))
}

#[test]
fn an_unreadable_corpus_file_fails_the_run_or_is_skipped_and_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (fail, skip) = (config(dir, "fail"), config(dir, "skip"));
    // A clean run (it generates the corpus) is the reference.
    zhiye(dir, &["run", "--config", fail.to_str().unwrap()]);
    let clean = summary(dir);
    let clean_rows = clean["rows_in"].as_u64().unwrap();
    let clean_classified = classified(dir);
    assert!(clean_rows > 2000 && !clean_classified.is_empty());
    let good = std::fs::read(dir.join("corpus/month=2017-01/part-0.parquet")).unwrap();
    let table = dir.join("out/current/occupation_year.parquet");
    let bad = dir.join("corpus/month=2017-01/bad.parquet");

    let cases: [(&str, &dyn Fn()); 5] = [
        ("corrupt footer", &|| std::fs::write(&bad, &good[..3000]).unwrap()),
        ("truncated", &|| std::fs::write(&bad, &good[..good.len() - 100]).unwrap()),
        ("empty", &|| std::fs::write(&bad, b"").unwrap()),
        // A real Parquet file, but a published table: no posting columns.
        ("wrong schema", &|| {
            std::fs::copy(&table, &bad).unwrap();
        }),
        // Listed, then gone: what a file deleted while the run starts looks like.
        ("vanished", &|| std::os::unix::fs::symlink(dir.join("gone.parquet"), &bad).unwrap()),
    ];
    for (what, make) in cases {
        make();
        let current = std::fs::read_link(dir.join("out/current")).unwrap();

        let out = zhiye_output(dir, &["run", "--config", fail.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{what}: {err}");
        assert!(err.contains("bad.parquet") && err.contains("nothing was published"), "{what}: {err}");
        assert_eq!(std::fs::read_link(dir.join("out/current")).unwrap(), current, "{what}: published");

        let out = zhiye_output(dir, &["run", "--config", skip.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{what}: {err}");
        assert!(err.contains("month=2017-01/bad.parquet"), "{what}: {err}");
        let s = summary(dir);
        let skipped = s["skipped_files"].as_array().unwrap();
        assert_eq!(skipped.len(), 1, "{what}: {s}");
        assert_eq!(skipped[0]["path"], "month=2017-01/bad.parquet", "{what}");
        assert!(skipped[0]["reason"].as_str().unwrap().contains("bad.parquet"), "{what}: {s}");
        // Nothing of the good files is lost, and the ledger balances.
        let rows = s["rows_in"].as_u64().unwrap();
        assert_eq!(rows, clean_rows, "{what}");
        assert_eq!(rows, s["classified"].as_u64().unwrap() + s["unclassified"].as_u64().unwrap(), "{what}");
        assert!(classified(dir) == clean_classified, "{what}: the good files' postings differ from a clean run's");
        std::fs::remove_file(&bad).unwrap();
    }
    // With the bad file gone, the next run publishes without complaint.
    zhiye(dir, &["run", "--config", skip.to_str().unwrap()]);
    assert!(summary(dir)["skipped_files"].as_array().unwrap().is_empty());
}

#[test]
fn a_corpus_of_only_unreadable_files_is_bad_input_even_when_skipping() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("corpus/month=2017-01")).unwrap();
    std::fs::write(dir.join("corpus/month=2017-01/part-0.parquet"), b"not parquet").unwrap();
    let out = zhiye_output(dir, &["run", "--config", config(dir, "skip").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("none of its 1 Parquet files is readable"), "{err}");
    assert!(!dir.join("out/current").exists());
}
