//! The accuracy floor: zhiye's figures on the report half of the gold
//! development set (`tests/gold/`, made as its README says) must not fall
//! below floors set a few points under the figures measured when they were
//! last raised. The tuning half is never scored here.

mod common;

use std::path::{Path, PathBuf};

use common::{taxonomy_dir, zhiye};

/// Report half, titles (all rows): fine top-1 strict and with alternatives,
/// medium top-1. Measured 78.2%, 86.0%, 82.8% (issue 20).
const TITLES_FLOOR: Floor = Floor { fine: 0.74, fine_alt: 0.82, medium: 0.79 };
/// Report half, real postings with descriptions (unambiguous rows).
/// Measured 93.7%, 94.3%, 95.6% (issue 20; 158 rows: one row is 0.6 points);
/// 94.3%, 94.9%, 95.0% with the fitted fusion.
const POSTINGS_FLOOR: Floor = Floor { fine: 0.88, fine_alt: 0.90, medium: 0.90 };

struct Floor {
    fine: f64,
    fine_alt: f64,
    medium: f64,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `zhiye eval` on the report half of `gold`, as JSON.
fn eval_report_half(cwd: &Path, gold: &str, extra: &[&str]) -> serde_json::Value {
    let gold = root().join("tests/gold").join(gold);
    let tax = taxonomy_dir();
    let rules = root().join("config/rules.toml");
    let args = [
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--half-col",
        "half",
        "--half",
        "1",
        "--alt-col",
        "alt",
        "--ambiguous-col",
        "ambiguous",
        "--taxonomy",
        tax.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
    ];
    serde_json::from_str(&zhiye(cwd, &[&args[..], extra].concat())).unwrap()
}

fn check(report: &serde_json::Value, key: &str, floor: &Floor, what: &str) {
    let level = |name: &str| {
        report[key].as_array().unwrap().iter().find(|l| l["level"] == name).cloned().unwrap_or_else(|| panic!("{name}"))
    };
    let (fine, medium) = (level("fine"), level("medium"));
    let got = (fine["top1"].as_f64().unwrap(), fine["top1_alt"].as_f64().unwrap(), medium["top1"].as_f64().unwrap());
    eprintln!(
        "{what}: fine top-1 {:.3}, +alt {:.3}, medium top-1 {:.3} ({} fine rows)",
        got.0, got.1, got.2, fine["rows"]
    );
    assert!(fine["rows"].as_u64().unwrap() >= 100, "{what}: too few fine rows: {fine}");
    assert!(got.0 >= floor.fine, "{what}: fine top-1 {:.3} below the floor {}", got.0, floor.fine);
    assert!(
        got.1 >= floor.fine_alt,
        "{what}: fine top-1 with alternatives {:.3} below the floor {}",
        got.1,
        floor.fine_alt
    );
    assert!(got.2 >= floor.medium, "{what}: medium top-1 {:.3} below the floor {}", got.2, floor.medium);
}

#[test]
fn titles_report_half_stays_above_the_floor() {
    let tmp = tempfile::tempdir().unwrap();
    let report = eval_report_half(tmp.path(), "titles.csv", &[]);
    check(&report, "levels", &TITLES_FLOOR, "gold titles, report half");
}

/// The real samples in `../shared` (the descriptions are read from them, never
/// copied into the repository). CI always has them: there their absence fails.
fn shared_postings() -> Option<PathBuf> {
    let dir = root().join("../shared/data/postings");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing: CI must have ../shared", dir.display());
    eprintln!("SKIPPED: {} not found (outside CI)", dir.display());
    None
}

/// Imports the gold postings' boards into `tmp/postings` (descriptions are
/// read from there by posting id).
fn import_gold_boards(tmp: &Path, shared: &Path) {
    for (mapping, file) in [("boss", "jobspider-2019/boss_zhipin.xlsx"), ("51job", "51job-2019/51job.gbk.csv")] {
        let m = root().join(format!("config/mappings/{mapping}.toml"));
        let input = shared.join(file);
        let out = tmp.join("postings").join(mapping);
        zhiye(
            tmp,
            &[
                "import",
                "--mapping",
                m.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--input",
                input.to_str().unwrap(),
            ],
        );
    }
}

#[test]
fn postings_report_half_stays_above_the_floor() {
    let Some(shared) = shared_postings() else { return };
    let tmp = tempfile::tempdir().unwrap();
    import_gold_boards(tmp.path(), &shared);
    let report = eval_report_half(tmp.path(), "postings.csv", &["--id-col", "posting_id", "--postings", "postings"]);
    check(&report, "unambiguous", &POSTINGS_FLOOR, "gold postings, report half, unambiguous");
}

/// `config/fusion.toml` is what `zhiye fit` (`make fit`) computes from the
/// tuning half: the shipped weights are fitted, not hand-set, and a change to
/// the rules, the classifier or the gold that moves them must refit them.
#[test]
fn shipped_fusion_is_the_fit_of_the_tuning_half() {
    let Some(shared) = shared_postings() else { return };
    let tmp = tempfile::tempdir().unwrap();
    import_gold_boards(tmp.path(), &shared);
    let (titles, postings) = (root().join("tests/gold/titles.csv"), root().join("tests/gold/postings.csv"));
    let (tax, rules) = (taxonomy_dir(), root().join("config/rules.toml"));
    let args = [
        "fit",
        "--gold",
        "tests/gold/titles.csv",
        "tests/gold/postings.csv",
        "--postings",
        "postings",
        "--half",
        "0",
        "--taxonomy",
        tax.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ];
    // Paths as `make fit` writes them into the file's provenance.
    std::fs::create_dir_all(tmp.path().join("tests/gold")).unwrap();
    std::fs::copy(&titles, tmp.path().join("tests/gold/titles.csv")).unwrap();
    std::fs::copy(&postings, tmp.path().join("tests/gold/postings.csv")).unwrap();
    let fitted = zhiye(tmp.path(), &args);
    let shipped = std::fs::read_to_string(root().join("config/fusion.toml")).unwrap();
    assert_eq!(fitted, shipped, "config/fusion.toml is stale: run `make fit` and rebuild");
}

/// `zhiye learn` reads the boards' postings, leaves the gold postings out and
/// writes a model whose vocabulary `zhiye eval` reads; here its example
/// occupations are the software and data classes these IT boards post.
#[test]
fn a_description_model_is_learned_without_the_gold_postings() {
    let Some(shared) = shared_postings() else { return };
    let tmp = tempfile::tempdir().unwrap();
    import_gold_boards(tmp.path(), &shared);
    let (tax, rules) = (taxonomy_dir(), root().join("config/rules.toml"));
    let gold = root().join("tests/gold/postings.csv");
    let args = ["learn", "--input", "postings", "--out", "model.tsv", "--exclude", gold.to_str().unwrap()];
    let out = common::zhiye_output(
        tmp.path(),
        &[&args[..], &["--taxonomy", tax.to_str().unwrap(), "--rules", rules.to_str().unwrap()]].concat(),
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("12443 postings read, 360 excluded"), "{log}");
    let model = std::fs::read_to_string(tmp.path().join("model.tsv")).unwrap();
    let rows: Vec<&str> = model.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(rows.len() > 100, "{} rows", rows.len());
    assert!(rows.iter().any(|r| r.split('\t').nth(1) == Some("2-02-10-03")), "software has a vocabulary");
    let report = eval_report_half(
        tmp.path(),
        "postings.csv",
        &["--id-col", "posting_id", "--postings", "postings", "--description-model", "model.tsv"],
    );
    assert!(report["levels"][0]["rows"].as_u64().unwrap() > 100, "{report}");
}
