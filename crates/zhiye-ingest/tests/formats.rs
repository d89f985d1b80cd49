//! Imports of small synthetic files in every format: the ledger, the
//! quarantine, encodings and errors. They need no shared data.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Date32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use common::{find, get, read_rows};
use zhiye_ingest::import::{ImportError, ImportOptions, ImportSummary, Mapping, OnError, import};
use zhiye_ingest::{posting_schema, write_parquet};

fn mapping(toml: &str) -> Mapping {
    Mapping::from_toml(toml, Path::new("test.toml")).unwrap()
}

fn run(inputs: &[PathBuf], m: &Mapping, out: &Path) -> Result<ImportSummary, ImportError> {
    import(inputs, m, out, &ImportOptions::default())
}

const JOB51: &str = r#"
platform = "51job"
[columns.title]
from = ["职位"]
unwrap_pylist = true
[columns.salary_text]
from = ["薪资"]
unwrap_pylist = true
[columns.experience_text]
from = ["工作经验"]
unwrap_pylist = true
accept = "experience"
[columns.education_text]
from = ["学历", "工作经验"]
unwrap_pylist = true
accept = "education"
[columns.posted_at]
from = ["时间"]
unwrap_pylist = true
"#;

#[test]
fn gbk_csv_is_detected_and_every_row_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let text = "职位,薪资,工作经验,学历,时间\n\
        ['大数据开发工程师'],['1-1.5万/月'],['3-4年工作经验'],['本科'],['2019-09-13']\n\
        ['数据分析'],['20-30万/年'],['大专'],[],['2019-09-12']\n\
        [],['1-1.5万/月'],[],[],['2019-09-13']\n\
        ['太短'],['1万']\n\
        ['日期坏了'],[],[],[],['09-13']\n";
    let (bytes, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad);
    let input = dir.path().join("51job.csv");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("out");
    let s = run(std::slice::from_ref(&input), &mapping(JOB51), &out).unwrap();
    assert!(s.balanced());
    assert_eq!((s.rows_in, s.rows_out, s.quarantined), (5, 2, 3));
    let i = &s.inputs[0];
    assert_eq!(i.format, "csv (GB18030)");
    assert_eq!(i.rejected.get("experience_text"), Some(&1));
    assert_eq!((i.rates.salary.parsed, i.rates.salary.non_empty), (2, 2));

    let rows = read_rows(&out.join("postings/51job.parquet"));
    assert_eq!(rows.len(), 2);
    let r = find(&rows, "posting_id", "51job-51job-2");
    assert_eq!(get(r, "title"), "大数据开发工程师");
    assert_eq!(get(r, "salary_text"), "1-1.5万/月");
    assert_eq!(get(r, "experience_text"), "3-4年工作经验");
    assert_eq!(get(r, "posted_at"), "2019-09-13");
    assert_eq!(get(r, "platform"), "51job");
    // Education shifted into 工作经验 is routed back; experience stays null.
    let r = find(&rows, "posting_id", "51job-51job-3");
    assert_eq!((get(r, "experience_text"), get(r, "education_text")), ("", "大专"));

    let q = read_rows(&out.join("quarantine.parquet"));
    let reasons: Vec<_> = q.iter().map(|r| (get(r, "row"), get(r, "field"), get(r, "reason"))).collect();
    assert_eq!(
        reasons,
        [
            ("4", "title", "empty title"),
            ("5", "", "2 fields where the header has 5"),
            ("6", "posted_at", "unparsed date \"09-13\": no year"),
        ]
    );
    assert_eq!(get(&q[1], "raw"), "['太短'],['1万']");
    assert!(get(&q[0], "file").ends_with("51job.csv"));
}

#[test]
fn gbk_bytes_after_the_sniffed_mib_fail_loudly() {
    // A GBK file whose first MiB is ASCII looks like UTF-8 until it is not.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("late.csv");
    let mut bytes = b"title\n".to_vec();
    while bytes.len() <= 1 << 20 {
        bytes.extend_from_slice(b"['data engineer']\n");
    }
    bytes.extend_from_slice(&encoding_rs::GB18030.encode("['数据工程师']\n").0);
    std::fs::write(&input, &bytes).unwrap();
    let toml = "platform = \"x\"\n[columns.title]\nfrom = [\"title\"]\nunwrap_pylist = true\n";
    let err = run(std::slice::from_ref(&input), &mapping(toml), dir.path()).unwrap_err().to_string();
    assert!(err.contains("late.csv") && err.contains("not valid UTF-8 at record") && err.contains("gb18030"), "{err}");
    let forced = mapping(&format!("encoding = \"gbk\"\n{toml}"));
    let s = run(&[input], &forced, &dir.path().join("b")).unwrap();
    assert_eq!(s.inputs[0].format, "csv (GB18030)");
    let rows = read_rows(&s.inputs[0].output);
    assert_eq!(get(rows.last().unwrap(), "title"), "数据工程师");
}

#[test]
fn utf8_bom_csv_mapped_by_position() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("zl.csv");
    let body = "0,1,2,3,4\nJava开发工程师,   某公司   ,8千-1.1万,Java|民营|20-99人|计算机软件,上海·虹口·北外滩\n";
    std::fs::write(&input, [&[0xEF, 0xBB, 0xBF][..], body.as_bytes()].concat()).unwrap();
    let m = mapping(
        r#"
        platform = "zhilian"
        [columns.title]
        from = [0]
        [columns.company]
        from = [1]
        [columns.salary_text]
        from = [2]
        [columns.industry]
        from = [3]
        split = "|"
        part = -1
        [columns.city]
        from = [4]
        split = "·"
        "#,
    );
    let s = run(&[input], &m, dir.path()).unwrap();
    assert_eq!(s.inputs[0].format, "csv (UTF-8 with BOM)");
    let rows = read_rows(&dir.path().join("postings/zl.parquet"));
    let r = &rows[0];
    assert_eq!(get(r, "posting_id"), "zhilian-zl-2");
    assert_eq!((get(r, "company"), get(r, "industry"), get(r, "city")), ("某公司", "计算机软件", "上海"));
}

#[test]
fn unreadable_files_fail_or_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "职位\n['数据工程师']\n").unwrap();
    let broken = dir.path().join("broken.csv");
    // Neither UTF-8 nor GB18030: 0xFF is never valid.
    std::fs::write(&broken, b"\xD6\xB0\xCE\xBB\n\xFF\xFF\n").unwrap();
    let missing = dir.path().join("missing.csv");
    let m = mapping(JOB51);
    let inputs = [good.clone(), broken.clone(), missing.clone()];

    let err = run(&inputs, &m, &dir.path().join("a")).unwrap_err().to_string();
    assert!(err.contains("broken.csv") && err.contains("gb18030") && err.contains("byte 5"), "{err}");
    // The file imported before the failure keeps its output and quarantine.
    assert!(dir.path().join("a/postings/good.parquet").exists());
    assert!(dir.path().join("a/quarantine.parquet").exists());
    assert!(!dir.path().join("a/postings/broken.parquet").exists());

    let opts = ImportOptions::default().on_error(OnError::Skip);
    let s = import(&inputs, &m, &dir.path().join("b"), &opts).unwrap();
    assert_eq!((s.inputs.len(), s.rows_out), (1, 1));
    let skipped: Vec<_> = s.skipped.iter().map(|k| k.path.clone()).collect();
    assert_eq!(skipped, [broken, missing]);
    assert!(s.skipped[1].error.contains("missing.csv"));

    // A file without the title column is malformed for this mapping.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "name,pay\nx,1\n").unwrap();
    let err = run(&[other], &m, &dir.path().join("c")).unwrap_err().to_string();
    assert!(err.contains("other.csv") && err.contains("no column for title") && err.contains("\"职位\""), "{err}");
}

#[test]
fn workbook_sheets_by_header_name() {
    let input = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/synthetic.xlsx"));
    let dir = tempfile::tempdir().unwrap();
    let m = mapping(
        r#"
        platform = "wb"
        [columns.title]
        from = ["title"]
        [columns.salary_text]
        from = ["pay"]
        [columns.experience_text]
        from = ["exp"]
        [columns.education_text]
        from = ["edu"]
        [columns.posted_at]
        from = ["when"]
        [columns.company]
        from = ["company"]
        "#,
    );
    let s = run(&[input], &m, dir.path()).unwrap();
    let i = &s.inputs[0];
    let sheets: Vec<_> =
        i.tables.iter().map(|t| (t.sheet.clone().unwrap(), t.rows_in, t.rows_out, t.quarantined)).collect();
    assert_eq!(sheets, [("A".into(), 4, 2, 2), ("B".into(), 1, 1, 0), ("Empty".into(), 0, 0, 0)]);
    assert_eq!(i.tables[0].unmapped, ["company"]);
    assert_eq!(i.reasons.keys().collect::<Vec<_>>(), ["blank row", "empty title"]);
    let rows = read_rows(&i.output);
    let r = find(&rows, "posting_id", "wb-synthetic-A-2");
    assert_eq!((get(r, "title"), get(r, "posted_at"), get(r, "salary_text")), ("数据分析师", "2019-08-21", "10-15K"));
    let r = find(&rows, "posting_id", "wb-synthetic-A-5");
    assert_eq!((get(r, "salary_text"), get(r, "posted_at")), ("12000", "2019-09-01"));
    let r = find(&rows, "posting_id", "wb-synthetic-B-2");
    assert_eq!((get(r, "title"), get(r, "education_text"), get(r, "posted_at")), ("算法工程师", "硕士", "2019-09-02"));
    assert_eq!(i.rates.salary.parsed, 3, "面议 counts as parsed");
}

#[test]
fn jsonl_objects_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("feed.jsonl");
    let lines = [
        r#"{"id": "a1", "job": "测试工程师", "pay": "6000-8000元/月", "n": 3}"#,
        "",
        r#"{"job": "运维", "pay": null}"#,
        r#"not json"#,
        r#"["an", "array"]"#,
    ];
    std::fs::write(&input, lines.join("\n")).unwrap();
    let m = mapping(
        r#"
        platform = "feed"
        [columns.posting_id]
        from = ["id"]
        [columns.title]
        from = ["job"]
        [columns.salary_text]
        from = ["pay"]
        [columns.headcount_text]
        from = ["n"]
        "#,
    );
    let s = run(&[input], &m, dir.path()).unwrap();
    assert_eq!((s.rows_in, s.rows_out, s.quarantined), (4, 2, 2));
    let rows = read_rows(&dir.path().join("postings/feed.parquet"));
    assert_eq!((get(&rows[0], "posting_id"), get(&rows[0], "headcount_text")), ("a1", "3"));
    assert_eq!((get(&rows[1], "posting_id"), get(&rows[1], "salary_text")), ("feed-feed-3", ""));
    let q = read_rows(&dir.path().join("quarantine.parquet"));
    assert_eq!((get(&q[0], "row"), get(&q[0], "raw")), ("4", "not json"));
    assert!(get(&q[1], "reason").starts_with("not a JSON object"));

    let bad = mapping("platform = \"x\"\n[columns.title]\nfrom = [0]");
    let err = run(&[dir.path().join("feed.jsonl")], &bad, &dir.path().join("o")).unwrap_err().to_string();
    assert!(err.contains("keys, not positions"), "{err}");
}

#[test]
fn parquet_with_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.parquet");
    let schema = Arc::new(Schema::new(vec![
        Field::new("job_title", DataType::Utf8, true),
        Field::new("unused", DataType::Utf8, true),
        Field::new("openings", DataType::Int64, true),
        Field::new("published", DataType::Date32, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec![Some("产品经理"), None, Some("  ")])),
        Arc::new(StringArray::from(vec![Some("x"), Some("y"), Some("z")])),
        Arc::new(Int64Array::from(vec![Some(2), Some(1), None])),
        Arc::new(Date32Array::from(vec![Some(18_152), None, None])),
    ];
    write_parquet(&input, schema.clone(), &[RecordBatch::try_new(schema, columns).unwrap()]).unwrap();
    let m = mapping(
        r#"
        platform = "pq"
        [columns.title]
        from = ["job_title"]
        [columns.headcount_text]
        from = ["openings"]
        [columns.posted_at]
        from = ["published"]
        "#,
    );
    let s = run(std::slice::from_ref(&input), &m, dir.path()).unwrap();
    assert_eq!((s.rows_in, s.rows_out, s.quarantined), (3, 1, 2));
    let wrong = mapping("platform = \"pq\"\n[columns.title]\nfrom = [\"title\"]\n");
    let err = run(&[input], &wrong, &dir.path().join("w")).unwrap_err().to_string();
    assert!(err.contains("export.parquet") && err.contains("no column for title"), "{err}");
    let rows = read_rows(&dir.path().join("postings/export.parquet"));
    assert_eq!(
        (get(&rows[0], "title"), get(&rows[0], "headcount_text"), get(&rows[0], "posted_at")),
        ("产品经理", "2", "2019-09-13")
    );
    let q = read_rows(&dir.path().join("quarantine.parquet"));
    // Only the mapped columns are read, so only they are in the raw text.
    assert_eq!(get(&q[0], "raw"), ",1,");
    // The output has exactly the canonical schema.
    let file = std::fs::File::open(dir.path().join("postings/export.parquet")).unwrap();
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    assert_eq!(builder.schema().fields(), posting_schema().fields());
}

#[test]
fn folders_expand_and_stems_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("same.csv"), "职位\n['x']\n").unwrap();
        std::fs::write(dir.path().join(sub).join("notes.md"), "not an input").unwrap();
    }
    std::fs::create_dir_all(dir.path().join("b/month=2019-09")).unwrap();
    std::fs::write(dir.path().join("b/month=2019-09/deep.csv"), "职位\n['y']\n").unwrap();
    let inputs = [dir.path().join("a"), dir.path().join("b")];
    let s = run(&inputs, &mapping(JOB51), &dir.path().join("out")).unwrap();
    let outputs: Vec<_> = s.inputs.iter().map(|i| i.output.file_name().unwrap().to_owned()).collect();
    assert_eq!(outputs, ["same.parquet", "deep.parquet", "same-2.parquet"]);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let err = run(&[dir.path().join("empty")], &mapping(JOB51), &dir.path().join("o2")).unwrap_err().to_string();
    assert!(err.contains("empty") && err.contains("no CSV"), "{err}");
}
