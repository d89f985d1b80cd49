//! `zhiye index` and `zhiye search` on generated postings plus a partition of
//! postings with known content: hits, filters, facets, snippets, formats,
//! and incremental updates by partition.

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, RecordBatch, StringArray};
use common::{taxonomy_dir, zhiye, zhiye_output};

/// `rows` postings in the canonical schema: (id, date as days, title, description).
fn write_postings(path: &Path, rows: &[(&str, i32, &str, &str)]) {
    let schema = zhiye_ingest::posting_schema();
    let columns: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .map(|f| -> ArrayRef {
            match f.name().as_str() {
                "posted_at" => Arc::new(Date32Array::from(
                    rows.iter().map(|r| (r.1 != NO_DATE).then_some(r.1)).collect::<Vec<_>>(),
                )),
                "posting_id" => Arc::new(StringArray::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())),
                "title" => Arc::new(StringArray::from(rows.iter().map(|r| r.2).collect::<Vec<_>>())),
                "description" => Arc::new(StringArray::from(rows.iter().map(|r| r.3).collect::<Vec<_>>())),
                "platform" => Arc::new(StringArray::from(vec!["test"; rows.len()])),
                "company" => Arc::new(StringArray::from(vec!["北京测试科技有限公司"; rows.len()])),
                "city" => Arc::new(StringArray::from(vec!["北京"; rows.len()])),
                "salary_text" => Arc::new(StringArray::from(vec!["1-2万"; rows.len()])),
                _ => arrow::array::new_null_array(f.data_type(), rows.len()),
            }
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    zhiye_ingest::write_parquet(path, schema, &[batch]).unwrap();
}

const D2021: i32 = 18_800; // 2021-06-22
const D2022: i32 = 19_200; // 2022-07-27
const NO_DATE: i32 = i32::MIN; // written as null

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn index_and_search_known_postings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tax = taxonomy_dir();
    let corpus = d.join("corpus");
    zhiye(
        d,
        &["generate", "--postings", "3000", "--out", corpus.to_str().unwrap(), "--taxonomy", tax.to_str().unwrap()],
    );
    let special = [
        ("s-0", D2022, "会计", "负责账务处理，熟悉zhiyetestword系统与大模型应用。"),
        ("s-1", D2022, "会计", "编制报表，会用zhiyetestword。"),
        ("s-2", D2022, "Java开发工程师", "开发zhiyetestword平台的大模型服务。"),
        ("s-3", D2022, "护士", "病房护理，了解zhiyetestword。"),
        ("s-4", D2022, "快递员", "派送快件，使用zhiyetestword终端。"),
        ("s-5", D2021, "会计", "zhiyetestword 财务软件操作。"),
        ("s-6", D2021, "普工", "流水线操作，zhiyetestword设备，人工智能质检。"),
        ("s-nodate", NO_DATE, "", "zhiyenodate"),
    ];
    write_postings(&corpus.join("special/part-0.parquet"), &special);
    let config = d.join("zhiye.toml");
    std::fs::write(
        &config,
        format!(
            "[taxonomy]\ndir = {:?}\n[classify]\nrules = {:?}\n",
            tax,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml")
        ),
    )
    .unwrap();
    let index = d.join("index");
    let (idx, cfg) = (index.to_str().unwrap(), config.to_str().unwrap());
    let build = |extra: &[&str]| {
        let args = [
            &["index", "--input", corpus.to_str().unwrap(), "--out", idx, "--config", cfg, "--format", "json"][..],
            extra,
        ];
        json(&zhiye(d, &args.concat()))
    };
    let s = build(&[]);
    assert_eq!((s["postings"].as_u64(), s["documents"].as_u64()), (Some(3008), Some(3008)), "{s}");
    let search = |args: &[&str]| json(&zhiye(d, &[&["search", idx][..], args, &["--format", "json"]].concat()));

    // A latin word, all seven; the year filter; facets by year.
    let r = search(&["zhiyetestword", "--limit", "20", "--facets"]);
    assert_eq!(r["total"], 7, "{r}");
    let mut ids: Vec<&str> = r["hits"].as_array().unwrap().iter().map(|h| h["posting_id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["s-0", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6"]);
    let years: Vec<(&str, u64)> = r["by_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["key"].as_str().unwrap(), f["postings"].as_u64().unwrap()))
        .collect();
    assert_eq!(years, [("2021", 2), ("2022", 5)]);
    // Wages by facet: every posting says 1-2万, a monthly wage of 15,000.
    for f in r["by_year"].as_array().unwrap().iter().chain(r["by_occupation"].as_array().unwrap()) {
        assert_eq!(f["with_wage"], f["postings"], "{f}");
        assert_eq!(f["mean_wage"].as_f64(), Some(15_000.0), "{f}");
        assert!((f["median_wage"].as_f64().unwrap() - 15_000.0).abs() < 150.0, "{f}");
    }
    let by_large: u64 = r["by_occupation"].as_array().unwrap().iter().map(|p| p["postings"].as_u64().unwrap()).sum();
    assert_eq!(by_large, 7, "every hit counted once at the large level: {r}");
    assert!(r["hits"][0]["snippet"].as_str().unwrap().contains("<b>zhiyetestword</b>"), "{r}");
    let r = search(&["zhiyetestword", "--year", "2021"]);
    assert_eq!(r["total"], 2);

    // Overlapping words of jieba's search mode (人工, 智能, 人工智能) make one highlight.
    let r = search(&["人工智能 AND zhiyetestword"]);
    assert_eq!(r["total"], 1, "{r}");
    assert!(r["hits"][0]["snippet"].as_str().unwrap().contains("<b>人工智能</b>"), "{r}");

    // Chinese words through jieba: 大模型 in two of them (the generated corpus may have more).
    let r = search(&["zhiyetestword AND 大模型"]);
    assert_eq!(r["total"], 2, "{r}");
    // 大模型 is one word by the index's user dictionary (the AI phrases), so it is highlighted whole.
    let words = std::fs::read_to_string(Path::new(idx).join("zhiye-words.txt")).unwrap();
    assert!(words.lines().any(|w| w == "大模型") && words.lines().any(|w| w == "会计"), "dictionary");
    let snippets: Vec<&str> = r["hits"].as_array().unwrap().iter().map(|h| h["snippet"].as_str().unwrap()).collect();
    assert!(snippets.iter().all(|s| s.contains("<b>大模型</b>")), "{snippets:?}");
    // Latin letters are lowercased at both ends.
    assert_eq!(search(&["zhiyetestword AND JAVA"])["total"], 1);

    // The occupation filter: the code the classifier gave the first hit, at its small-class prefix.
    let code = search(&["zhiyetestword", "--limit", "1"])["hits"][0]["code"].as_str().unwrap().to_string();
    let small = code.rsplit_once('-').unwrap().0.to_string();
    let r = search(&["zhiyetestword", "--code", &small, "--limit", "20", "--facets"]);
    assert!(r["total"].as_u64().unwrap() >= 1);
    for h in r["hits"].as_array().unwrap() {
        assert!(h["code"].as_str().unwrap().starts_with(&small), "{h}");
    }
    for fine in r["by_occupation"].as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap()) {
        assert!(fine.starts_with(&small), "facets below {small}: {r}");
    }
    // A posting with no code and no date is a bucket of its own in each list, wage included.
    let r = search(&["zhiyenodate", "--facets"]);
    assert_eq!(r["total"], 1, "{r}");
    for (list, key) in [("by_occupation", "unclassified"), ("by_year", "no date")] {
        let f = &r[list][0];
        assert_eq!(
            (f["key"].as_str(), f["postings"].as_u64(), f["with_wage"].as_u64()),
            (Some(key), Some(1), Some(1)),
            "{r}"
        );
    }

    // Counts at the fine level, for all seven; a level above --code's is refused.
    let r = search(&["zhiyetestword", "--facet-level", "4"]);
    let fine = r["by_occupation"].as_array().unwrap();
    assert!(fine.iter().all(|p| p["key"].as_str().unwrap().split('-').count() == 4), "{r}");
    assert_eq!(fine.iter().map(|p| p["postings"].as_u64().unwrap()).sum::<u64>(), 7, "{r}");
    let refused = zhiye_output(d, &["search", idx, "zhiyetestword", "--code", &small, "--facet-level", "2"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--facet-level 2: give 4 (fine)"), "{refused:?}");

    // Titles of the generated corpus: every hit for 会计 is about it.
    let r = search(&["title:会计", "--limit", "5"]);
    assert!(r["total"].as_u64().unwrap() >= 3);
    assert!(r["hits"].as_array().unwrap().iter().all(|h| h["title"].as_str().unwrap().contains("会计")));

    // The latency benchmark: the query given, timed on its own, with its count.
    let l = json(&zhiye(d, &["search", idx, "zhiyetestword", "--bench", "3"]));
    assert_eq!((l["queries"].as_u64(), l["documents"].as_u64()), (Some(3), Some(3008)), "{l}");
    assert_eq!(l["per_query"][0]["total"], 7, "{l}");
    let l = json(&zhiye(d, &["search", idx, "--bench", "1"]));
    assert_eq!(l["per_query"].as_array().unwrap().len(), l["queries"].as_u64().unwrap() as usize, "{l}");

    // Parquet output.
    let out = d.join("hits.parquet");
    zhiye(d, &["search", idx, "zhiyetestword", "--parquet", out.to_str().unwrap()]);
    let file = std::fs::File::open(&out).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    assert_eq!(reader.map(|b| b.unwrap().num_rows()).sum::<usize>(), 7);

    // Incremental: nothing new, then one partition more, then it is gone.
    let s = build(&[]);
    assert_eq!((s["indexed"].as_u64(), s["postings"].as_u64()), (Some(0), Some(0)), "{s}");
    write_postings(&corpus.join("special/part-1.parquet"), &[("s-7", D2022, "司机", "驾驶zhiyetestword车辆。")]);
    let s = build(&[]);
    assert_eq!(
        (s["indexed"].as_u64(), s["postings"].as_u64(), s["documents"].as_u64()),
        (Some(1), Some(1), Some(3009))
    );
    assert_eq!(search(&["zhiyetestword"])["total"], 8);
    std::fs::remove_file(corpus.join("special/part-1.parquet")).unwrap();
    let s = build(&[]);
    assert_eq!((s["removed"].as_u64(), s["documents"].as_u64()), (Some(1), Some(3008)), "{s}");
    assert_eq!(search(&["zhiyetestword"])["total"], 7);

    // A missing or empty corpus is an error that leaves the index as it was.
    for (input, says) in [(d.join("nope"), "no such folder"), (d.join("empty"), "no Parquet files here")] {
        std::fs::create_dir_all(d.join("empty")).unwrap();
        let out = zhiye_output(d, &["index", "--input", input.to_str().unwrap(), "--out", idx, "--config", cfg]);
        assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains(says), "{out:?}");
    }
    assert_eq!(search(&["zhiyetestword"])["total"], 7);

    // Another classification (here: no rules file) indexes every partition again, replacing the old codes.
    let partitions = s["unchanged"].as_u64().unwrap();
    let no_rules = d.join("no-rules.toml");
    std::fs::write(&no_rules, format!("[taxonomy]\ndir = {tax:?}\n[classify]\nrules = \"\"\n")).unwrap();
    let args = ["index", "--input", corpus.to_str().unwrap(), "--out", idx, "--config", no_rules.to_str().unwrap()];
    let s = json(&zhiye(d, &[&args[..], &["--format", "json"]].concat()));
    assert_eq!(s["fingerprint_changed"], true, "{s}");
    assert_eq!((s["indexed"].as_u64(), s["unchanged"].as_u64()), (Some(partitions), Some(0)), "{s}");
    assert_eq!((s["postings"].as_u64(), s["documents"].as_u64()), (Some(3008), Some(3008)), "{s}");
    let s = json(&zhiye(d, &[&args[..], &["--format", "json"]].concat()));
    assert_eq!((s["fingerprint_changed"].as_bool(), s["indexed"].as_u64()), (Some(false), Some(0)), "{s}");
}
