//! `zhiye run`, `zhiye generate`, `zhiye aggregate` and `zhiye eval` end to end on a small corpus.

mod common;

use std::path::Path;

use common::{files, taxonomy_dir, zhiye};

fn write_config(dir: &Path, postings: u64) -> std::path::PathBuf {
    let tax = taxonomy_dir();
    let cfg = dir.join("zhiye.toml");
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let text = format!(
        "[taxonomy]\ndir = {:?}\n[corpus]\ndir = \"corpus\"\ngenerate_postings = {postings}\nseed = 7\n[classify]\nrules = {:?}\n[output]\ndir = \"out\"\n",
        tax.display().to_string(),
        rules.display().to_string()
    );
    std::fs::write(&cfg, text).unwrap();
    cfg
}

/// Sums a numeric CSV column over the rows of one level, with the csv crate
/// (a reference independent of Arrow and DataFusion).
fn csv_sum(path: &Path, column: &str, level: &str) -> (f64, usize) {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let idx = rdr.headers().unwrap().iter().position(|h| h == column).unwrap();
    let lvl = rdr.headers().unwrap().iter().position(|h| h == "level").unwrap();
    let mut sum = 0.0;
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if &rec[lvl] == level {
            sum += rec[idx].parse::<f64>().unwrap();
            rows += 1;
        }
    }
    (sum, rows)
}

#[test]
fn run_generates_classifies_and_aggregates() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), 20_000);
    let out = zhiye(tmp.path(), &["run", "--config", cfg.to_str().unwrap(), "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["generated"], 20_000);
    assert_eq!(summary["rows_in"], 20_000);
    assert_eq!(summary["classified"].as_u64().unwrap() + summary["unclassified"].as_u64().unwrap(), 20_000);
    let methods: u64 = summary["methods"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(methods, 20_000, "every row has a method");
    let levels: u64 = summary["levels"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(levels, summary["classified"].as_u64().unwrap(), "every classified row has a trusted level");
    let rules = summary["rules_applied"].as_object().unwrap();
    assert!(!rules.is_empty(), "board titles such as 销售 or 普工 meet the starter rules");
    // The generator reposts about 5% of vacancies on another board within days.
    let reposts = summary["reposts"]["duplicates"].as_u64().unwrap();
    let rate = summary["reposts"]["rate"].as_f64().unwrap();
    assert!((0.045..0.10).contains(&rate), "repost rate {rate}");
    let table = tmp.path().join("out/current/occupation_year.csv");
    for level in ["fine", "small", "medium", "large"] {
        assert_eq!(csv_sum(&table, "duplicates", level).0 as u64, reposts, "every repost is counted once at {level}");
        assert_eq!(csv_sum(&table, "postings", level).0 as u64, 20_000, "every posting is counted once at {level}");
    }
    let agreement = summary["true_code_agreement"].as_f64().unwrap();
    assert!(agreement > 0.5, "classifier agrees with true_code on only {agreement}");
    let table = tmp.path().join("out/current/occupation_year.csv");
    let (postings, rows) = csv_sum(&table, "postings", "fine");
    assert_eq!(postings as u64, 20_000, "every posting is counted once");
    assert!(rows > 300, "only {rows} occupation-year rows");
    let (shares, _) = csv_sum(&table, "vacancy_share", "fine");
    let years = 6.0 + 1.0; // 2017-2022, plus postings without a date
    assert!(shares <= years + 1e-6 && shares > 5.9, "vacancy shares sum to 1 per year: {shares}");
    assert!(tmp.path().join("out/current/occupation_year.parquet").exists());
    let parts = zhiye_ingest::list_parquet(&tmp.path().join("out/current/classified")).unwrap();
    assert_eq!(parts.len(), 72);

    // A second run reuses the corpus rather than generating it again.
    let again = zhiye(tmp.path(), &["run", "--config", cfg.to_str().unwrap(), "--format", "json"]);
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert!(again["generated"].is_null());
    assert_eq!(again["rows_in"], 20_000);
    // Nothing new: every row group's result is reused, none classified.
    assert_eq!(again["row_groups"]["classified"], 0);
    assert_eq!(again["row_groups"]["rows_classified"], 0);
    assert_eq!(again["row_groups"]["reused"], summary["row_groups"]["classified"]);
    assert_eq!(again["partitions"]["unchanged"], 72);
}

#[test]
fn generate_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let tax = taxonomy_dir();
    for dir in ["a", "b"] {
        zhiye(
            tmp.path(),
            &["generate", "--postings", "5000", "--seed", "3", "--out", dir, "--taxonomy", tax.to_str().unwrap()],
        );
    }
    let a = zhiye_ingest::list_parquet(&tmp.path().join("a")).unwrap();
    let b = zhiye_ingest::list_parquet(&tmp.path().join("b")).unwrap();
    assert_eq!(a.len(), 72);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(std::fs::read(x).unwrap(), std::fs::read(y).unwrap(), "{} differs", x.display());
    }
}

#[test]
fn classified_postings_from_elsewhere_get_the_runs_summary_and_a_report() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), 20_000);
    let cfg = cfg.to_str().unwrap();
    let run: serde_json::Value =
        serde_json::from_str(&zhiye(tmp.path(), &["run", "--config", cfg, "--format", "json"])).unwrap();
    // As a Spark job hands them over: the classified postings, and the parse rates apart.
    std::fs::write(tmp.path().join("rates.json"), run["parse_rates"].to_string()).unwrap();
    let classified = "out/current/classified";
    zhiye(
        tmp.path(),
        &["aggregate", "--config", cfg, "--classified", classified, "--out", "t", "--parse-rates", "rates.json"],
    );
    let read = |p: &str| std::fs::read_to_string(tmp.path().join(p)).unwrap();
    assert_eq!(read("t/occupation_year.csv"), read("out/current/occupation_year.csv"));
    let summary: serde_json::Value = serde_json::from_str(&read("t/run_summary.json")).unwrap();
    for key in [
        "rows_in",
        "classified",
        "unclassified",
        "true_code_agreement",
        "methods",
        "levels",
        "rules_applied",
        "parse_rates",
        "confidence_histogram",
    ] {
        assert_eq!(summary[key], run[key], "{key}");
    }
    assert_eq!(summary["reposts"]["duplicates"], run["reposts"]["duplicates"]);
    assert!(summary["reposts"]["keyed"].is_null(), "not known from classified postings");
    zhiye(tmp.path(), &["report", "--config", cfg, "--tables", "t"]);
    let page = read("t/report/index.html");
    assert!(page.contains("20000 postings read"), "the report counts the postings");
    assert!(
        page.contains("coded by another engine") && !read("out/current/report/index.html").contains("another engine")
    );

    // Without the parse rates: the AI mentions are counted, the fields are not known.
    zhiye(tmp.path(), &["aggregate", "--config", cfg, "--classified", classified, "--out", "u"]);
    let summary: serde_json::Value = serde_json::from_str(&read("u/run_summary.json")).unwrap();
    assert_eq!(summary["parse_rates"]["ai_mentions"], run["parse_rates"]["ai_mentions"]);
    assert!(run["parse_rates"]["ai_mentions"].as_u64().unwrap() > 0);
    assert_eq!(summary["parse_rates"]["fields"], serde_json::json!({}));
}

#[test]
fn eval_reports_every_level_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    let tax = taxonomy_dir();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let gold = tmp.path().join("gold.csv");
    // Names and aliases straight from the taxonomy, plus one coarse and one empty label.
    std::fs::write(
        &gold,
        "title,code,w\n会计,2-06-03-00,1\n北京 数控车工（急招）,6-18-01-01,2\n销售代表,4-01-02-00,1\n无关文字,,1\n",
    )
    .unwrap();
    let out = zhiye(
        tmp.path(),
        &[
            "eval",
            "--gold",
            "gold.csv",
            "--title-col",
            "title",
            "--code-col",
            "code",
            "--weight-col",
            "w",
            "--format",
            "json",
            "--taxonomy",
            tax.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["rows"], 3);
    assert_eq!(report["skipped"], 1);
    let levels = report["levels"].as_array().unwrap();
    let names: Vec<&str> = levels.iter().map(|l| l["level"].as_str().unwrap()).collect();
    assert_eq!(names, ["fine", "small", "medium", "large"]);
    // 会计 is an undivided small class: an occupation, so it counts at fine level; 销售代表's gold is small.
    assert_eq!(levels[0]["rows"], 2);
    assert_eq!(levels[3]["rows"], 3);
    for l in levels {
        let (t1, t5) = (l["top1"].as_f64().unwrap(), l["top5"].as_f64().unwrap());
        assert!((0.0..=1.0).contains(&t1) && t1 <= t5, "{l}");
    }
}

#[test]
fn eval_classifies_with_the_configuration_it_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let tax = taxonomy_dir();
    let gold = tmp.path().join("gold.csv");
    // Titles the shipped rules decide (python工程师（爬虫）, a field in the bracket; 销售-人工智能, a first piece).
    std::fs::write(&gold, "title,code\npython工程师（爬虫）,2-02-38-03\n销售-人工智能,4-01-02-01\n会计,2-06-03-00\n")
        .unwrap();
    let eval = |extra: &[&str]| {
        let mut args = vec!["eval", "--gold", "gold.csv", "--format", "json", "--dump", "dump.csv"];
        args.extend_from_slice(extra);
        let report: serde_json::Value = serde_json::from_str(&zhiye(tmp.path(), &args)).unwrap();
        (report["levels"][0]["top1"].as_f64().unwrap(), std::fs::read(tmp.path().join("dump.csv")).unwrap())
    };
    let taxonomy = ["--taxonomy", tax.to_str().unwrap()];
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let with_rules = eval(&[&taxonomy[..], &["--rules", rules.to_str().unwrap()]].concat());
    let no_rules = eval(&[&taxonomy[..], &["--no-rules"]].concat());
    assert!(with_rules.0 > no_rules.0, "the rules decide these titles: {} vs {}", with_rules.0, no_rules.0);
    // A configuration without rules evaluates as --no-rules does; its taxonomy is the configuration's.
    let cfg = tmp.path().join("norules.toml");
    std::fs::write(&cfg, format!("[taxonomy]\ndir = {:?}\n[classify]\nrules = \"\"\n", tax.display().to_string()))
        .unwrap();
    assert_eq!(eval(&["--config", cfg.to_str().unwrap()]), no_rules);
    // A flag overrides the configuration.
    let flagged = eval(&["--config", cfg.to_str().unwrap(), "--rules", rules.to_str().unwrap()]);
    assert_eq!(flagged, with_rules);
}

#[test]
fn eval_measures_the_gold_against_the_taxonomy() {
    let tmp = tempfile::tempdir().unwrap();
    let tax = taxonomy_dir();
    // 车工 is an occupation's name; 木工 (机械木工's alias) is labelled as its
    // sibling 手工木工, 插画师 (画家's alias) as 画家; 钳工车工 is no term.
    std::fs::write(
        tmp.path().join("gold.csv"),
        "title,code\n车工,6-18-01-01\n【急招】木工,6-06-03-01\n插画师,2-09-05-01\n钳工车工,6-18-01-01\n",
    )
    .unwrap();
    let args = ["eval", "--gold", "gold.csv", "--title-col", "title", "--code-col", "code", "--no-rules"];
    let out = zhiye(tmp.path(), &[&args[..], &["--format", "json", "--taxonomy", tax.to_str().unwrap()]].concat());
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let agreement = report["taxonomy_agreement"].as_array().unwrap();
    let at = |source: usize, level: usize| {
        let l = &agreement[source]["levels"][level];
        (l["rows"].as_u64().unwrap(), l["agreement"].as_f64().unwrap())
    };
    assert_eq!((agreement[0]["source"].as_str(), agreement[0]["rows"].as_u64()), (Some("name"), Some(1)));
    assert_eq!(at(0, 0), (1, 1.0));
    assert_eq!((agreement[1]["source"].as_str(), agreement[1]["rows"].as_u64()), (Some("alias"), Some(2)));
    assert_eq!(at(1, 0), (2, 0.5), "木工 disagrees at fine level");
    assert_eq!(at(1, 1), (2, 1.0), "and agrees at small level");
    let table = zhiye(tmp.path(), &[&args[..], &["--taxonomy", tax.to_str().unwrap()]].concat());
    assert!(table.contains("alias     2 rows; gold agrees: fine 50.0% of 2, small 100.0% of 2"), "{table}");
}

/// Classified postings and tables are the same byte for byte at 1 and 2
/// threads, with the title memo off, on, and so small that it turns over
/// all the time.
#[test]
fn outputs_are_identical_for_any_thread_count_and_title_memo() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), 10_000);
    let base = std::fs::read_to_string(&cfg).unwrap();
    let mut runs = Vec::new();
    for (threads, memo) in [(1, 0), (2, 4096), (2, 8)] {
        let out = format!("out{threads}-{memo}");
        let text = base.replace("dir = \"out\"", &format!("dir = \"{out}\""));
        let text = text.replace("[classify]\n", &format!("[classify]\nthreads = {threads}\ntitle_memo = {memo}\n"));
        let c = tmp.path().join(format!("{out}.toml"));
        std::fs::write(&c, text).unwrap();
        zhiye(tmp.path(), &["run", "--config", c.to_str().unwrap()]);
        let current = tmp.path().join(out).join("current");
        let table = std::fs::read(current.join("occupation_year.csv")).unwrap();
        runs.push((table, files(&current.join("classified"))));
    }
    assert!(runs[0].0.len() > 1000);
    assert!(runs[0].1.len() > 1 && runs[0].1.iter().map(|f| f.1.len()).sum::<usize>() > 100_000);
    for r in &runs[1..] {
        assert!(r.0 == runs[0].0, "the occupation table differs");
        assert!(r.1 == runs[0].1, "the classified postings differ");
    }
}

#[test]
fn eval_accepts_alternatives_and_scores_a_peer_on_the_same_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let tax = taxonomy_dir();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    // 销售代表 is labelled a marketing professional with front-line sales as the
    // alternative (zhiye's rule gives the alternative); 实习生 names no
    // occupation; the last row is in the other half.
    std::fs::write(
        tmp.path().join("gold.csv"),
        "title,code,alt,ambiguous,half\n会计,2-06-03-00,,0,1\n车工,6-18-01-01,,0,1\n销售代表,2-06-07-02,4-01-02-01,1,1\n实习生,-,,0,1\n会计,2-06-03-00,,0,0\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("peer.csv"),
        "code,top5,score,stage\n2-06-03-00,2-06-03-00,0.9,exact\n,,0,none\n4-01-02-01,4-01-02-01|2-06-07-02,0.5,tfidf\n2-06-03-00,2-06-03-00,0.9,exact\n2-06-03-00,2-06-03-00,0.9,exact\n",
    )
    .unwrap();
    let out = zhiye(
        tmp.path(),
        &[
            "eval",
            "--gold",
            "gold.csv",
            "--alt-col",
            "alt",
            "--ambiguous-col",
            "ambiguous",
            "--half-col",
            "half",
            "--half",
            "1",
            "--peer",
            "peer.csv",
            "--format",
            "json",
            "--taxonomy",
            tax.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
        ],
    );
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fine = |key: &str, who: &serde_json::Value| who[key][0].clone();
    assert_eq!(r["rows"], 3, "{r}");
    assert_eq!((r["no_occupation"]["rows"].as_u64(), r["no_occupation"]["abstained"].as_u64()), (Some(1), Some(1)));
    let z = fine("levels", &r);
    assert_eq!((z["rows"].as_u64(), z["top1"].as_f64(), z["top1_alt"].as_f64()), (Some(3), Some(2.0 / 3.0), Some(1.0)));
    let u = fine("unambiguous", &r);
    assert_eq!((u["rows"].as_u64(), u["top1"].as_f64()), (Some(2), Some(1.0)));
    let p = fine("levels", &r["peer"]);
    assert_eq!(
        (p["top1"].as_f64(), p["top1_alt"].as_f64(), p["top5"].as_f64()),
        (Some(1.0 / 3.0), Some(2.0 / 3.0), Some(2.0 / 3.0)),
        "{p}"
    );
    assert_eq!(r["peer"]["no_occupation"]["abstained"], 0, "the peer coded 实习生");
}

/// `[classify] description_model` and `fusion` reach `zhiye run`: a model
/// learned from the run's own corpus changes the classified postings when
/// the fusion weighs it (and the fusion file alone does not), and a model naming no occupation stops the run
/// before anything is published.
#[test]
fn run_reads_the_description_model_and_fusion_of_its_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write_config(tmp.path(), 4_000);
    zhiye(tmp.path(), &["run", "--config", cfg.to_str().unwrap()]);
    let plain = files(&tmp.path().join("out/current/classified"));
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml");
    let learned = zhiye(
        tmp.path(),
        &[
            "learn",
            "--input",
            "corpus",
            "--out",
            "model.tsv",
            "--min-postings",
            "5",
            "--rules",
            rules.to_str().unwrap(),
            "--taxonomy",
            common::taxonomy_dir().to_str().unwrap(),
        ],
    );
    let model = std::fs::read_to_string(tmp.path().join("model.tsv")).unwrap();
    assert!(model.lines().filter(|l| !l.starts_with('#')).count() > 100, "{learned}\n{model}");
    // The shipped fusion gives the learned features no weight (fitted without a model): give them some.
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/fusion.toml")).unwrap();
    let weighted = shipped
        .lines()
        .map(|l| if l.starts_with("learned") { format!("{} = 3.0", l.split(" =").next().unwrap()) } else { l.into() })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(tmp.path().join("fusion.toml"), weighted).unwrap();
    let base = std::fs::read_to_string(&cfg).unwrap();
    let with = |out: &str, model: &str| {
        let text = base.replace("dir = \"out\"", &format!("dir = \"{out}\"")).replace(
            "[classify]\n",
            &format!("[classify]\nfusion = \"fusion.toml\"\ndescription_model = \"{model}\"\n"),
        );
        let c = tmp.path().join(format!("{out}.toml"));
        std::fs::write(&c, text).unwrap();
        c
    };
    // The fusion file alone changes nothing: the learned features are zero without a model.
    let c = with("fused", "");
    zhiye(tmp.path(), &["run", "--config", c.to_str().unwrap()]);
    assert!(files(&tmp.path().join("fused/current/classified")) == plain, "the fusion file alone changed the rows");
    let c = with("learned", "model.tsv");
    zhiye(tmp.path(), &["run", "--config", c.to_str().unwrap()]);
    let read = files(&tmp.path().join("learned/current/classified"));
    assert_eq!(read.len(), plain.len());
    assert!(read != plain, "the description model changed nothing");

    std::fs::write(tmp.path().join("bad.tsv"), "销售\t9-99-99-99\t1.0\n").unwrap();
    let c = with("bad", "bad.tsv");
    let out = common::zhiye_output(tmp.path(), &["run", "--config", c.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("9-99-99-99") && err.contains("bad.tsv"), "{err}");
    assert!(!tmp.path().join("bad/current").exists());
}
