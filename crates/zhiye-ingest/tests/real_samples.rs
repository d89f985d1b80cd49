//! Each shipped mapping (config/mappings/*.toml) against its real sample in
//! ../shared/data/postings: the ledger balances, rows come out, parse rates
//! meet their targets (salary ≥ 98 %, experience and education ≥ 99 % of the
//! non-empty strings) and known values come out right. Skipped, with a
//! message, when the shared folder is absent.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{find, get, read_rows};
use zhiye_ingest::import::{ImportOptions, InputSummary, Mapping, import};

const POSTINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/postings");
const MAPPINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/mappings");

/// Rows read back as column → text.
type Rows = Vec<BTreeMap<String, String>>;

/// Imports one sample; returns its summary, output rows and quarantine rows,
/// or `None` (after saying so) when the shared data is absent.
fn import_sample(mapping: &str, file: &str) -> Option<(InputSummary, Rows, Rows)> {
    let input = Path::new(POSTINGS).join(file);
    if !input.exists() {
        // CI has the shared folder beside the clone: there its absence is a failure, not a skip.
        assert!(std::env::var_os("CI").is_none(), "{} is missing: CI must have ../shared", input.display());
        eprintln!("SKIPPED: {} is absent (the shared data folder is not beside the repository)", input.display());
        return None;
    }
    let m = Mapping::from_path(&Path::new(MAPPINGS).join(format!("{mapping}.toml"))).unwrap();
    let out = tempfile::tempdir().unwrap();
    let s = import(&[PathBuf::from(&input)], &m, out.path(), &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{mapping}: {e}"));
    assert!(s.balanced() && s.skipped.is_empty(), "{mapping}: {s:?}");
    let i = s.inputs.into_iter().next().unwrap();
    assert!(i.balanced() && i.rows_out > 0, "{mapping}: {} in, {} out", i.rows_in, i.rows_out);
    for (field, target) in [("salary", 0.98), ("experience", 0.99), ("education", 0.99)] {
        let r = i.rates.fields().into_iter().find(|(f, _)| *f == field).unwrap().1;
        let rate = r.rate().unwrap_or_else(|| panic!("{mapping}: no {field} strings"));
        assert!(rate >= target, "{mapping}: {field} {:.4} < {target}; unparsed {:?}", rate, r.unparsed);
    }
    let rows = read_rows(&i.output);
    let quarantine = read_rows(&out.path().join("quarantine.parquet"));
    assert_eq!(rows.len() as u64, i.rows_out);
    assert_eq!(quarantine.len() as u64, i.quarantined);
    Some((i, rows, quarantine))
}

#[test]
fn zhilian_2024() {
    let Some((i, rows, _)) = import_sample("zhilian", "zhilian-2024/zhilian.csv") else { return };
    assert_eq!((i.rows_in, i.rows_out, i.quarantined), (14_251, 14_251, 0));
    assert_eq!(i.format, "csv (UTF-8 with BOM)");
    let r = find(&rows, "posting_id", "zhilian-zhilian-2");
    assert_eq!(get(r, "title"), "Java开发工程师");
    assert_eq!(get(r, "company"), "上海胜蓝软件技术服务有限公司");
    assert_eq!(get(r, "salary_text"), "8千-1.1万");
    assert_eq!(get(r, "industry"), "计算机软件");
    assert_eq!(get(r, "city"), "上海");
    assert_eq!((get(r, "experience_text"), get(r, "education_text")), ("无经验", "本科"));
    assert_eq!(get(r, "posted_at"), "");
    // The only unparsed pay is per piece (元/次), which has no monthly equivalent.
    assert!(i.rates.salary.unparsed.iter().all(|(t, _)| t.ends_with("元/次")), "{:?}", i.rates.salary.unparsed);
}

#[test]
fn job51_2019() {
    let Some((i, rows, quarantine)) = import_sample("51job", "51job-2019/51job.gbk.csv") else { return };
    assert_eq!((i.rows_in, i.rows_out, i.quarantined), (4_950, 4_922, 28));
    assert_eq!(i.format, "csv (GB18030)");
    assert!(quarantine.iter().all(|q| get(q, "reason") == "empty title"));
    let r = find(&rows, "posting_id", "51job-51job.gbk-2");
    assert_eq!(get(r, "title"), "IT培训咨询顾问    人工智能大数据区块链");
    assert_eq!(get(r, "salary_text"), "1-1.5万/月");
    assert_eq!(get(r, "company"), "上海领象信息科技有限公司");
    assert_eq!(get(r, "industry"), "教育/培训/院校 计算机软件");
    assert_eq!(get(r, "city"), "上海");
    assert_eq!((get(r, "experience_text"), get(r, "education_text")), ("1年工作经验", "大专"));
    assert_eq!((get(r, "headcount_text"), get(r, "posted_at")), ("2人", "2019-09-13"));
    // No experience stated: the scraper shifted 本科 into 工作经验.
    let r = find(&rows, "posting_id", "51job-51job.gbk-4");
    assert_eq!(
        (get(r, "experience_text"), get(r, "education_text"), get(r, "salary_text")),
        ("", "本科", "20-40万/年")
    );
    let described = rows.iter().filter(|r| !get(r, "description").is_empty()).count();
    assert_eq!(described, 969, "the 969 described rows all have a title");
    assert_eq!((i.rates.posted_at.parsed, i.rates.posted_at.non_empty), (4_922, 4_922));
}

#[test]
fn boss_2019() {
    let Some((i, rows, _)) = import_sample("boss", "jobspider-2019/boss_zhipin.xlsx") else { return };
    // The README counts 7,600 rows: 78 of them are blank rows after the C#
    // sheet's last cell, outside the sheet's used range.
    assert_eq!((i.rows_in, i.rows_out, i.quarantined), (7_522, 7_521, 1));
    assert_eq!(i.tables.len(), 10);
    let r = find(&rows, "posting_id", "boss-boss_zhipin-C#-2");
    assert_eq!((get(r, "title"), get(r, "salary_text"), get(r, "city")), ("C#", "10-15K", "北京"));
    assert_eq!((get(r, "experience_text"), get(r, "education_text")), ("1-3年", "本科"));
    assert!(get(r, "description").starts_with("C#工程师职位描述"), "header spelt desription in this sheet");
    // The Ruby sheet swaps diploma_requirement and experience.
    let r = find(&rows, "posting_id", "boss-boss_zhipin-Ruby-2");
    assert_eq!((get(r, "experience_text"), get(r, "education_text")), ("3-5年", "学历不限"));
    let r = find(&rows, "posting_id", "boss-boss_zhipin-Java-2");
    assert_eq!(get(r, "industry"), "互联网", "header spelt indusrty in this sheet");
    let r = find(&rows, "posting_id", "boss-boss_zhipin-C#-3");
    assert_eq!((get(r, "title"), get(r, "salary_text")), ("SeniorC#Developer", "15-20K·14薪"));
}

#[test]
fn lagou_2019() {
    let Some((i, rows, _)) = import_sample("lagou", "jobspider-2019/lagou.xlsx") else { return };
    // The README's 12,613 include 2,391 blank rows past the sheets' used ranges.
    assert_eq!((i.rows_in, i.rows_out, i.quarantined), (10_222, 10_222, 0));
    let r = find(&rows, "posting_id", "lagou-lagou-C#-2");
    assert_eq!((get(r, "title"), get(r, "salary_text"), get(r, "experience_text")), ("C#", "10k-20k", "不限"));
    // Sheets whose city column is headed "location".
    let r = find(&rows, "posting_id", "lagou-lagou-C++-2");
    assert_eq!((get(r, "title"), get(r, "city"), get(r, "education_text")), ("C++研发工程师", "北京", "不限"));
    assert!(i.tables.iter().all(|t| !t.unmapped.contains(&"city".to_owned())));
}

#[test]
fn liepin_2019() {
    let Some((i, rows, _)) = import_sample("liepin", "jobspider-2019/liepin_raw.xlsx") else { return };
    assert_eq!((i.rows_in, i.rows_out, i.quarantined), (6_565, 6_565, 0));
    let r = find(&rows, "posting_id", "liepin-liepin_raw-JS-2");
    assert_eq!((get(r, "title"), get(r, "salary_text"), get(r, "city")), ("Node.js开发工程师", "18-36万/年", "上海"));
    assert_eq!((get(r, "experience_text"), get(r, "education_text")), ("2年以上", "本科及以上"));
    assert_eq!(get(r, "industry"), "计算机软件", "the 行业： prefix is cut");
    let r = find(&rows, "posting_id", "liepin-liepin_raw-python-2");
    assert_eq!(get(r, "salary_text"), "面议", "no period added to 面议, response time cut");
}
