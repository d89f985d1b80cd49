//! The nightly refresh end to end: incremental runs, determinism, SIGKILL at
//! several points, the lock and the exit codes.

mod common;

use std::path::Path;

use common::nightly::{assert_same, config, corpus, kill_at, link_partitions, published, run};
use common::{zhiye, zhiye_output};
use serde_json::Value;

#[test]
fn only_new_partitions_are_classified_and_outputs_do_not_depend_on_order_or_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let files = corpus(dir, 24_000);
    assert_eq!(files.len(), 72);
    let all = dir.join("all");

    // The reference: every partition at once, one thread.
    let reference = run(dir, &config(dir, "ref.toml", "all", "ref", 1));
    assert_eq!(reference["partitions"]["new"], 72);
    assert_eq!(reference["row_groups"]["rows_classified"], 24_000);
    let expected = published(&dir.join("ref"));

    // Two threads: the same bytes.
    run(dir, &config(dir, "two.toml", "all", "two", 2));
    assert_same(&expected, &published(&dir.join("two")), "2 threads vs 1");

    // Nightly: the partitions arrive newest first, in three nights, plus a night with nothing new.
    let cfg = config(dir, "nightly.toml", "landing", "nightly", 2);
    let landing = dir.join("landing");
    let mut rows_classified = 0;
    for night in [&files[48..], &files[24..48], &files[..24]] {
        link_partitions(night, &all, &landing);
        let s = run(dir, &cfg);
        assert_eq!(s["partitions"]["new"], 24);
        assert_eq!(s["row_groups"]["classified"], 24, "only the new partitions are classified: {s}");
        rows_classified += s["row_groups"]["rows_classified"].as_u64().unwrap();
    }
    assert_eq!(rows_classified, 24_000, "every posting classified exactly once over the nights");
    assert_same(&expected, &published(&dir.join("nightly")), "nightly in reverse order vs all at once");
    let quiet = run(dir, &cfg);
    assert_eq!(quiet["partitions"]["unchanged"], 72);
    assert_eq!(quiet["row_groups"]["classified"], 0, "no new data, no classification: {quiet}");
    assert_eq!(quiet["row_groups"]["reassembled"], 0);
    assert_eq!(quiet["row_groups"]["rows_classified"], 0);
    assert_same(&expected, &published(&dir.join("nightly")), "a run without new data");

    // A removed partition leaves the results; the partitions after it move up a
    // place, so their rows are renumbered, not classified again.
    let gone = landing.join(files[30].strip_prefix(&all).unwrap());
    let kept = std::fs::read(&gone).unwrap();
    std::fs::remove_file(&gone).unwrap();
    let s = run(dir, &cfg);
    assert_eq!(s["partitions"]["removed"], 1);
    assert_eq!(s["row_groups"]["classified"], 0, "{s}");
    assert!(s["row_groups"]["reassembled"].as_u64().unwrap() >= 41, "{s}");
    assert!(s["rows_in"].as_u64().unwrap() < 24_000);
    std::fs::write(&gone, kept).unwrap();
    let s = run(dir, &cfg);
    assert_eq!(s["partitions"]["new"], 1);
    assert_eq!(s["row_groups"]["classified"], 1, "only the partition put back: {s}");
    assert_eq!(s["rows_in"], 24_000);
    assert_same(&expected, &published(&dir.join("nightly")), "after removing and restoring a partition");

    // A changed partition (half its rows) is classified again, alone.
    let changed = landing.join(files[5].strip_prefix(&all).unwrap());
    let names = zhiye_ingest::column_names(&changed).unwrap();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let group = &zhiye_ingest::row_groups(std::slice::from_ref(&changed)).unwrap()[0];
    let batch = zhiye_ingest::read_row_group(group, &names, 1 << 20).unwrap().remove(0);
    let half = batch.slice(0, batch.num_rows() / 2);
    zhiye_ingest::write_parquet(&changed, half.schema(), std::slice::from_ref(&half)).unwrap();
    let s = run(dir, &cfg);
    assert_eq!(s["partitions"]["changed"], 1);
    assert_eq!(s["row_groups"]["classified"], 1, "{s}");
    assert_eq!(s["row_groups"]["rows_classified"], half.num_rows() as u64);

    // Versions: the newest two are kept, `runs list` marks the current one.
    let list = zhiye(dir, &["runs", "list", "--config", &cfg]);
    assert_eq!(list.lines().filter(|l| l.starts_with('*')).count(), 1, "{list}");
    assert_eq!(std::fs::read_dir(dir.join("nightly/versions")).unwrap().count(), 2);
    let shown: Value =
        serde_json::from_str(&zhiye(dir, &["runs", "show", "--config", &cfg, "--format", "json"])).unwrap();
    assert_eq!(shown["run_id"], s["run_id"]);
}

#[test]
fn runs_killed_at_any_point_resume_to_identical_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir, 16_000);
    run(dir, &config(dir, "ref.toml", "all", "ref", 2));
    let expected = published(&dir.join("ref"));

    let cfg = config(dir, "killed.toml", "all", "killed", 2);
    let out = dir.join("killed");
    // At the start and after scanning the partitions: nothing is published.
    assert!(kill_at(dir, &cfg, "run started", 1));
    assert!(kill_at(dir, &cfg, "partitions scanned", 1));
    assert!(!out.join("current").exists(), "a killed run publishes nothing");
    // Mid-classification: nothing is published, some row groups are kept.
    assert!(kill_at(dir, &cfg, "row group done", 20), "the run ended before the kill");
    assert!(!out.join("current").exists(), "a killed run publishes nothing");
    let kept = std::fs::read_dir(out.join(".state/groups")).unwrap().count();
    assert!(kept > 0, "finished row groups survive the kill");
    // The next run is killed after classifying, then after aggregating.
    assert!(kill_at(dir, &cfg, "row groups done", 1));
    assert!(kill_at(dir, &cfg, "aggregated", 1));
    assert!(!out.join("current").exists());
    let s = run(dir, &cfg);
    assert!(s["stale_lock"].as_str().is_some_and(|l| l.starts_with("pid ")), "the dead run's lock is taken over: {s}");
    assert_eq!(s["row_groups"]["classified"], 0, "everything was classified before the kills: {s}");
    assert_same(&expected, &published(&out), "resumed after five kills");

    // A run killed later leaves the published version as it was.
    assert!(kill_at(dir, &cfg, "row groups done", 1));
    assert_same(&expected, &published(&out), "a killed run does not touch the published version");
}

#[test]
fn a_concurrent_run_is_refused_and_exit_codes_are_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir, 2_000);
    let cfg = config(dir, "c.toml", "all", "out", 1);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let lock =
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.join("out/.lock")).unwrap();
    lock.try_lock().unwrap();
    std::fs::write(dir.join("out/.lock"), "pid 1 since unix time 0\n").unwrap();
    let refused = zhiye_output(dir, &["run", "--config", &cfg]);
    assert_eq!(refused.status.code(), Some(3), "{}", String::from_utf8_lossy(&refused.stderr));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("locked by another zhiye run") && message.contains("pid 1"), "{message}");
    drop(lock);
    // The holder died (its flock is gone, its pid stays in the file): taken over.
    let s = run(dir, &cfg);
    assert_eq!(s["stale_lock"], "pid 1 since unix time 0");

    std::fs::write(dir.join("bad.toml"), "[output]\ndirr = \"x\"\n").unwrap();
    assert_eq!(zhiye_output(dir, &["run", "--config", "bad.toml"]).status.code(), Some(2), "configuration error");
    let empty = config(dir, "empty.toml", "nothing-here", "out2", 1);
    assert_eq!(zhiye_output(dir, &["run", "--config", &empty]).status.code(), Some(4), "no input");
}

#[test]
fn a_changed_rules_file_classifies_everything_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir, 3_000);
    let rules = dir.join("rules.toml");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml"), &rules).unwrap();
    let cfg = config(dir, "c.toml", "all", "out", 2);
    let text = std::fs::read_to_string(&cfg).unwrap();
    let text = text.replace(
        &format!("rules = {:?}", Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml").display().to_string()),
        "rules = \"rules.toml\"",
    );
    std::fs::write(&cfg, text).unwrap();
    let first = run(dir, &cfg);
    assert_eq!(first["row_groups"]["rows_classified"], 3_000);
    let same = run(dir, &cfg);
    assert_eq!(same["row_groups"]["rows_classified"], 0);
    assert_eq!(same["partitions"]["fingerprint_changed"], false);
    let mut text = std::fs::read_to_string(&rules).unwrap();
    text.push_str("\n# a reviewed rule set\n");
    std::fs::write(&rules, text).unwrap();
    let after = run(dir, &cfg);
    assert_eq!(after["partitions"]["fingerprint_changed"], true, "{after}");
    assert_eq!(after["row_groups"]["rows_classified"], 3_000, "a new rules file reclassifies every posting");
    assert_ne!(after["fingerprint"]["rules"], first["fingerprint"]["rules"]);
    assert_eq!(after["fingerprint"]["taxonomy"], first["fingerprint"]["taxonomy"]);
}
