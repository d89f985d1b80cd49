//! The DataFusion tables against hand-computed values on a small fixture.

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int8Array, Int32Array, RecordBatch, StringArray, UInt8Array,
    UInt32Array, UInt64Array,
};
use zhiye_agg::{AggregateOptions, Dimension, NamedTable, aggregate};
use zhiye_core::Taxonomy;

const TAXONOMY: &str = "level,code,code_num,name,definition,tasks,csco_code_num,alias
1,2-00-00-00,2000000,专业技术人员,,,2000000,
2,2-02-00-00,2020000,工程技术人员,,,2020000,
3,2-02-01-00,2020100,甲类,,,2020100,
4,2-02-01-01,2020101,甲,,,2020101,
4,2-02-01-02,2020102,乙,,,2020102,
3,2-02-02-00,2020200,乙类,,,2020200,
4,2-02-02-01,2020201,丙,,,2020201,
1,4-00-00-00,4000000,社会生产服务和生活服务人员,,,4000000,
2,4-01-00-00,4010000,销售人员,,,4010000,
4,4-01-01-00,4010100,丁,,,4010100,
";

/// (code, year, industry, dup_of, headcount, wage, exp_min, education, ai)
type Row =
    (Option<&'static str>, i32, &'static str, Option<u64>, Option<u32>, Option<f64>, Option<u8>, Option<i8>, bool);

const ROWS: [Row; 8] = [
    (Some("2-02-01-01"), 2020, "IT", None, Some(2), Some(10_000.0), Some(0), Some(4), true),
    (Some("2-02-01-01"), 2020, "IT", None, None, Some(20_000.0), Some(3), Some(4), false),
    // A repost of the first row: a posting, no vacancies, no wage observation.
    (Some("2-02-01-01"), 2020, "IT", Some(0), Some(2), Some(99_999.0), Some(5), Some(6), true),
    (Some("2-02-01-02"), 2020, "制造", None, Some(1), Some(8_000.0), Some(1), Some(3), false),
    (Some("2-02-02-01"), 2022, "制造", None, Some(3), Some(12_000.0), Some(0), Some(3), false),
    (Some("4-01-01-00"), 2022, "零售", None, None, None, None, None, false),
    (None, 2022, "零售", None, Some(4), Some(5_000.0), Some(0), Some(2), false),
    (Some("2-02-01-01"), 2022, "IT", None, Some(1), Some(16_000.0), Some(2), Some(5), true),
];

fn write_fixture(dir: &Path) {
    let n = ROWS.len();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("code", Arc::new(StringArray::from(ROWS.iter().map(|r| r.0).collect::<Vec<_>>()))),
        ("year", Arc::new(Int32Array::from(ROWS.iter().map(|r| r.1).collect::<Vec<_>>()))),
        ("month", Arc::new(Int32Array::from(vec![3; n]))),
        ("city", Arc::new(StringArray::from(vec!["北京"; n]))),
        ("industry", Arc::new(StringArray::from(ROWS.iter().map(|r| r.2).collect::<Vec<_>>()))),
        ("platform", Arc::new(StringArray::from(vec!["boss"; n]))),
        ("row", Arc::new(UInt64Array::from((0..n as u64).collect::<Vec<_>>()))),
        ("dup_of", Arc::new(UInt64Array::from(ROWS.iter().map(|r| r.3).collect::<Vec<_>>()))),
        ("headcount", Arc::new(UInt32Array::from(ROWS.iter().map(|r| r.4).collect::<Vec<_>>()))),
        ("wage", Arc::new(Float64Array::from(ROWS.iter().map(|r| r.5).collect::<Vec<_>>()))),
        ("exp_min", Arc::new(UInt8Array::from(ROWS.iter().map(|r| r.6).collect::<Vec<_>>()))),
        ("education", Arc::new(Int8Array::from(ROWS.iter().map(|r| r.7).collect::<Vec<_>>()))),
        ("ai_mention", Arc::new(BooleanArray::from(ROWS.iter().map(|r| r.8).collect::<Vec<_>>()))),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    // Two files in a nested folder, as the pipeline writes them.
    for (i, part) in [(0, batch.slice(0, 4)), (1, batch.slice(4, 4))] {
        let sub = dir.join(format!("month=2020-0{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        let file = std::fs::File::create(sub.join("part-0-rg0.parquet")).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(file, part.schema(), None).unwrap();
        w.write(&part).unwrap();
        w.close().unwrap();
    }
}

fn tables() -> Vec<NamedTable> {
    let taxonomy = Taxonomy::from_reader(TAXONOMY.as_bytes(), Path::new("mini.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_fixture(dir.path());
    let options = AggregateOptions { dimensions: vec![Dimension::Industry], threads: 2, ..Default::default() };
    aggregate(dir.path(), &taxonomy, &options).unwrap()
}

fn table<'t>(tables: &'t [NamedTable], name: &str) -> &'t RecordBatch {
    &tables.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no table {name}")).batch
}

/// The row of `batch` where every (column, value) matches; `None` matches null.
fn find(batch: &RecordBatch, key: &[(&str, Option<&str>)], year: Option<i32>) -> usize {
    (0..batch.num_rows())
        .find(|&i| {
            key.iter().all(|(c, v)| {
                let a = batch.column_by_name(c).unwrap().as_string::<i32>();
                (!a.is_null(i)).then(|| a.value(i)) == *v
            }) && year.is_none_or(|y| batch.column_by_name("year").unwrap().as_primitive::<Int32Type>().value(i) == y)
        })
        .unwrap_or_else(|| panic!("no row {key:?} {year:?}"))
}

fn f64_at(batch: &RecordBatch, column: &str, i: usize) -> Option<f64> {
    let a = batch.column_by_name(column).unwrap();
    let a = a.as_primitive::<Float64Type>();
    (!a.is_null(i)).then(|| a.value(i))
}

fn i64_at(batch: &RecordBatch, column: &str, i: usize) -> i64 {
    batch.column_by_name(column).unwrap().as_primitive::<Int64Type>().value(i)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

fn near(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a / b - 1.0).abs() <= 0.005, "{a} is not within 0.5% of {b}");
}

#[test]
fn occupation_year_counts_shares_and_wages() {
    let t = tables();
    let oy = table(&t, "occupation_year");
    let fine = |code| find(oy, &[("level", Some("fine")), ("code", Some(code))], Some(2020));
    let i = fine("2-02-01-01");
    assert_eq!((i64_at(oy, "postings", i), i64_at(oy, "vacancies", i), i64_at(oy, "duplicates", i)), (3, 3, 1));
    close(f64_at(oy, "vacancy_share", i), 3.0 / 4.0);
    close(f64_at(oy, "wage_mean", i), 15_000.0);
    // Quantiles by the inverted CDF, from 1%-wide log bins (within 0.5%).
    near(f64_at(oy, "wage_median", i), 10_000.0);
    near(f64_at(oy, "wage_p25", i), 10_000.0);
    near(f64_at(oy, "wage_p75", i), 20_000.0);
    close(f64_at(oy, "ai_share", i), 0.5);
    // Unclassified postings are counted at every level, under a null code.
    for level in ["fine", "small", "medium", "large"] {
        let u = find(oy, &[("level", Some(level)), ("code", None)], Some(2022));
        assert_eq!(i64_at(oy, "vacancies", u), 4);
        close(f64_at(oy, "vacancy_share", u), 4.0 / 9.0);
    }
    // Roll-ups: the undivided small class keeps four parts at the fine level.
    let m = find(oy, &[("level", Some("medium")), ("code", Some("2-02"))], Some(2022));
    assert_eq!(i64_at(oy, "vacancies", m), 4);
    let s = find(oy, &[("level", Some("small")), ("code", Some("4-01-01"))], Some(2022));
    assert_eq!(i64_at(oy, "vacancies", s), 1);
    find(oy, &[("level", Some("fine")), ("code", Some("4-01-01-00"))], Some(2022));
    let l = find(oy, &[("level", Some("large")), ("code", Some("2"))], Some(2020));
    close(f64_at(oy, "vacancy_share", l), 1.0);
    // Shares of a level and year sum to one.
    for level in ["fine", "small", "medium", "large"] {
        for year in [2020, 2022] {
            let total: f64 = (0..oy.num_rows())
                .filter(|&i| {
                    oy.column_by_name("level").unwrap().as_string::<i32>().value(i) == level
                        && oy.column_by_name("year").unwrap().as_primitive::<Int32Type>().value(i) == year
                })
                .map(|i| f64_at(oy, "vacancy_share", i).unwrap())
                .sum();
            assert!((total - 1.0).abs() < 1e-12, "{level} {year}: {total}");
        }
    }
}

#[test]
fn growth_premium_education_and_industry() {
    let t = tables();
    let g = table(&t, "share_growth");
    let i = find(g, &[("level", Some("fine")), ("code", Some("2-02-01-01"))], None);
    let (first, last): (f64, f64) = (3.0 / 4.0, 1.0 / 9.0);
    close(f64_at(g, "share_cagr", i), (last / first).powf(0.5) - 1.0);
    close(f64_at(g, "share_trend", i), (f64::ln(last) - f64::ln(first)) / 2.0);

    // OLS of ln wage on years over the counted postings with both.
    let pts = [(0.0, 10_000f64), (3.0, 20_000.0), (2.0, 16_000.0)];
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1.ln()).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1.ln() - my)).sum();
    let slope = sxy / sxx;
    let rss: f64 = pts.iter().map(|p| (p.1.ln() - my - slope * (p.0 - mx)).powi(2)).sum();
    let e = table(&t, "experience_premium");
    let i = find(e, &[("level", Some("fine")), ("code", Some("2-02-01-01"))], None);
    assert_eq!(i64_at(e, "premium_n", i) as usize, 3);
    close(f64_at(e, "premium_slope", i), slope);
    close(f64_at(e, "premium_se", i), (rss / (n - 2.0) / sxx).sqrt());
    close(f64_at(e, "premium_ratio_3plus", i), 2.0);

    let ed = table(&t, "education_mix");
    let i = find(ed, &[("level", Some("fine")), ("code", Some("2-02-01-01")), ("education_name", Some("本科"))], None);
    close(f64_at(ed, "share", i), 2.0 / 3.0);

    let ind = table(&t, "occupation_industry");
    let i = find(ind, &[("level", Some("medium")), ("code", Some("2-02")), ("industry", Some("制造"))], None);
    assert_eq!(i64_at(ind, "vacancies", i), 4);
    close(f64_at(ind, "share_of_industry", i), 1.0);

    let summary = table(&t, "occupation_summary");
    let i = find(summary, &[("level", Some("fine")), ("code", Some("2-02-01-01"))], None);
    assert_eq!(i64_at(summary, "vacancies", i), 4);
    close(f64_at(summary, "vacancy_share", i), 4.0 / 13.0);
    close(f64_at(summary, "wage_mean", i), (10_000.0 + 20_000.0 + 16_000.0) / 3.0);
    close(f64_at(summary, "premium_slope", i), slope);
}

#[test]
fn missing_headcount_is_configurable() {
    let taxonomy = Taxonomy::from_reader(TAXONOMY.as_bytes(), Path::new("mini.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_fixture(dir.path());
    let options = AggregateOptions { missing_headcount: 0, dimensions: vec![], threads: 1 };
    let t = aggregate(dir.path(), &taxonomy, &options).unwrap();
    let oy = table(&t, "occupation_year");
    let i = find(oy, &[("level", Some("fine")), ("code", Some("2-02-01-01"))], Some(2020));
    assert_eq!(i64_at(oy, "vacancies", i), 2);
    assert!(!t.iter().any(|t| t.name == "occupation_industry"));
}

#[test]
fn binned_quantiles_match_the_inverted_cdf_of_many_wages() {
    let n = 1001;
    // Spread over 3,000-60,000 CNY, in an order unrelated to size.
    let wages: Vec<f64> = (0..n).map(|i| 3_000.0 * 20f64.powf(((i * 7919) % n) as f64 / n as f64)).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("code", Arc::new(StringArray::from(vec!["2-02-01-01"; n]))),
        ("year", Arc::new(Int32Array::from(vec![2021; n]))),
        ("dup_of", Arc::new(UInt64Array::from(vec![None::<u64>; n]))),
        ("headcount", Arc::new(UInt32Array::from(vec![Some(1u32); n]))),
        ("wage", Arc::new(Float64Array::from(wages.clone()))),
        ("exp_min", Arc::new(UInt8Array::from(vec![Some(1u8); n]))),
        ("education", Arc::new(Int8Array::from(vec![Some(4i8); n]))),
        ("ai_mention", Arc::new(BooleanArray::from(vec![false; n]))),
        ("month", Arc::new(Int32Array::from(vec![1; n]))),
        ("industry", Arc::new(StringArray::from(vec!["IT"; n]))),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("part.parquet")).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let taxonomy = Taxonomy::from_reader(TAXONOMY.as_bytes(), Path::new("mini.csv")).unwrap();
    let t = aggregate(dir.path(), &taxonomy, &AggregateOptions::default()).unwrap();
    let mut sorted = wages;
    sorted.sort_by(f64::total_cmp);
    // Inverted CDF: the smallest value whose rank reaches q·n.
    let exact = |q: f64| sorted[((q * n as f64).ceil() as usize).max(1) - 1];
    for name in ["occupation_year", "occupation_summary"] {
        let b = table(&t, name);
        for level in ["fine", "medium", "large"] {
            let i = find(b, &[("level", Some(level)), ("code", Some(code_at(level)))], None);
            near(f64_at(b, "wage_median", i), exact(0.5));
            near(f64_at(b, "wage_p25", i), exact(0.25));
            near(f64_at(b, "wage_p75", i), exact(0.75));
        }
    }
}

fn code_at(level: &str) -> &'static str {
    match level {
        "fine" => "2-02-01-01",
        "medium" => "2-02",
        _ => "2",
    }
}
