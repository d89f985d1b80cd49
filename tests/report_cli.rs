//! The researchers' outputs end to end: every table of `zhiye run`, the
//! exposure scoring rules through `zhiye exposure score`, and the HTML report
//! checked in real headless Chromium.

mod common;

use std::path::Path;

use common::{taxonomy_dir, zhiye, zhiye_output};

/// The value of `column` in the row of `path` whose first column is `key`.
fn csv_value(path: &Path, key: &str, column: &str) -> String {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let idx = rdr.headers().unwrap().iter().position(|h| h == column).unwrap_or_else(|| panic!("no {column}"));
    rdr.records()
        .map(Result::unwrap)
        .find(|r| &r[0] == key)
        .unwrap_or_else(|| panic!("no row {key} in {}", path.display()))[idx]
        .to_string()
}

#[test]
fn exposure_score_follows_the_papers_rules() {
    let tmp = tempfile::tempdir().unwrap();
    // 2-02-01-01: model a E1,E2,E0 → 0.5; model b E3,E3,E1 → 2/3; mean of models 7/12.
    // 2-02-01-02: model a E0 → 0; model b E2 → 0.5; an `invalid` reply is skipped.
    // 1-01-00-01 is in an excluded large class.
    let labels = "code,model,run,label\n\
        2-02-01-01,a,1,E1\n2-02-01-01,a,2,E2\n2-02-01-01,a,3,E0\n\
        2-02-01-01,b,1,E3\n2-02-01-01,b,2,E3\n2-02-01-01,b,3,E1\n\
        2-02-01-02,a,1,E0\n2-02-01-02,b,1,E2\n2-02-01-02,b,2,invalid\n\
        1-01-00-01,a,1,E1\n";
    std::fs::write(tmp.path().join("labels.csv"), labels).unwrap();
    let tax = taxonomy_dir();
    let out = zhiye(
        tmp.path(),
        &["exposure", "score", "--labels", "labels.csv", "--out", "x", "--taxonomy", tax.to_str().unwrap()],
    );
    assert!(out.contains("1 dropped") && out.contains("1 invalid"), "{out}");
    let fine = tmp.path().join("x/exposure_fine.csv");
    let score = |code: &str, col: &str| csv_value(&fine, code, col).parse::<f64>().unwrap();
    assert!((score("2-02-01-01", "score") - 7.0 / 12.0).abs() < 1e-12);
    assert!((score("2-02-01-01", "a") - 0.5).abs() < 1e-12);
    assert!((score("2-02-01-02", "score") - 0.25).abs() < 1e-12);
    // The small class is the mean of its occupations; the medium, of its small classes.
    let small = csv_value(&tmp.path().join("x/exposure_small.csv"), "2-02-01", "score").parse::<f64>().unwrap();
    assert!((small - (7.0 / 12.0 + 0.25) / 2.0).abs() < 1e-12);
    assert!(
        std::fs::read_to_string(tmp.path().join("x/exposure_large.csv")).unwrap().lines().all(|l| !l.starts_with("1,"))
    );
    // A label outside E0-E3 is an error naming the file, row and field.
    std::fs::write(tmp.path().join("bad.csv"), "code,model,run,label\n2-02-01-01,a,1,E5\n").unwrap();
    let bad =
        zhiye_output(tmp.path(), &["exposure", "score", "--labels", "bad.csv", "--taxonomy", tax.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        !bad.status.success() && err.contains("bad.csv") && err.contains("label") && err.contains("row 1"),
        "{err}"
    );
}

#[test]
fn run_writes_every_table_and_a_report_that_renders() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ex = |f: &str| root.join("config/exposure").join(f).display().to_string();
    let text = format!(
        "[taxonomy]\ndir = {:?}\n[corpus]\ndir = \"corpus\"\ngenerate_postings = 20000\nseed = 3\n\
         [classify]\nrules = {:?}\n\
         [exposure]\nexpert_medium = {:?}\nexternal = [{:?}]\ngroup_industry = {:?}\ntask_groups = {:?}\n",
        taxonomy_dir().display().to_string(),
        root.join("config/rules.toml").display().to_string(),
        ex("expert_medium.example.csv"),
        ex("external_small.example.csv"),
        ex("age_industry.boards.csv"),
        ex("task_groups.medium.csv"),
    );
    std::fs::write(tmp.path().join("cfg.toml"), text).unwrap();
    zhiye(tmp.path(), &["run", "--config", "cfg.toml"]);
    let out = tmp.path().join("out/current");
    for table in [
        "occupation_year",
        "occupation_month",
        "occupation_industry",
        "share_growth",
        "experience_premium",
        "education_mix",
        "occupation_summary",
    ] {
        assert!(out.join(format!("{table}.parquet")).exists(), "{table}.parquet");
        assert!(std::fs::read_to_string(out.join(format!("{table}.csv"))).unwrap().lines().count() > 10, "{table}");
    }
    for table in [
        "exposure_fine",
        "exposure_medium",
        "table1_summary",
        "table1_correlations",
        "exposure_expert_medium",
        "analysis_relations",
        "analysis_points_log_wage",
        "analysis_industry_exposure",
        "analysis_group_exposure",
        "analysis_task_group_exposure",
    ] {
        assert!(std::fs::read_to_string(out.join(format!("{table}.csv"))).unwrap().lines().count() > 1, "{table}");
    }
    // Four relations, each with enough medium classes to mean something.
    let relations = out.join("analysis_relations.csv");
    for outcome in ["log_wage", "experience_premium", "vacancy_share_pct", "share_cagr_pct"] {
        let n: usize = csv_value(&relations, outcome, "n").parse().unwrap();
        assert!(n >= 30, "{outcome}: n = {n}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run_summary.json")).unwrap()).unwrap();
    let histogram: u64 = summary["confidence_histogram"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(histogram, 20_000);

    // The report again from the outputs, checked in headless Chromium.
    let report = zhiye(tmp.path(), &["report", "--config", "cfg.toml", "--check"]);
    let pages: Vec<&str> = report.lines().filter(|l| l.contains("charts rendered")).collect();
    assert_eq!(pages.len(), 5, "{report}");
    let charts: usize = pages
        .iter()
        .map(|l| {
            let (ok, total) = l.split(": ").nth(1).unwrap().split(' ').next().unwrap().split_once('/').unwrap();
            assert_eq!(ok, total, "{l}");
            total.parse::<usize>().unwrap()
        })
        .sum();
    assert!(charts >= 14, "{charts} charts");
    for page in ["index", "exposure", "analyses", "groups", "quality"] {
        let png = out.join(format!("report/{page}.png"));
        assert!(std::fs::metadata(&png).unwrap().len() > 10_000, "{}", png.display());
    }
    let analyses = std::fs::read_to_string(out.join("report/analyses.html")).unwrap();
    assert_eq!(analyses.matches("data-kind=\"scatter\"").count(), 4);
    assert!(std::fs::read_to_string(out.join("report/index.html")).unwrap().contains("SYNTHETIC"));
}
