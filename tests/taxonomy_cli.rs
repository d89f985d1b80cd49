//! `zhiye taxonomy` on the real OCD 2022 source.

mod common;

use common::{taxonomy_dir, zhiye};

fn tax_args<'a>(dir: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["taxonomy", "--taxonomy", dir];
    v.extend_from_slice(rest);
    v
}

#[test]
fn stats_reports_counts_beside_official_and_gaps() {
    let dir = taxonomy_dir();
    let d = dir.to_str().unwrap();
    let out = zhiye(&dir, &tax_args(d, &["stats"]));
    let row = |level: &str| -> Vec<i64> {
        let line = out.lines().find(|l| l.starts_with(level)).unwrap_or_else(|| panic!("no {level} line:\n{out}"));
        line.split_whitespace().skip(1).map(|x| x.parse().unwrap()).collect()
    };
    assert_eq!(row("large"), [8, 8, 0]);
    let fine = row("fine*");
    assert_eq!(fine[1], 1636);
    assert!(fine[0] > 1600 && fine[0] < 1636, "{fine:?}");
    assert_eq!(fine[0] + fine[2], 1636);
    assert!(out.contains("duplicate rows"), "{out}");
    assert!(out.contains("undivided small classes"), "{out}");
    assert!(out.contains("7-00-00-00 has no subclasses"), "{out}");
}

#[test]
fn show_and_search() {
    let dir = taxonomy_dir();
    let d = dir.to_str().unwrap();
    let out = zhiye(&dir, &tax_args(d, &["show", "2-02-07-07"]));
    assert!(out.contains("自动控制工程技术人员") && out.contains("digital (S)"), "{out}");
    assert!(out.contains("2-02-00-00 medium"), "{out}");
    let out = zhiye(&dir, &tax_args(d, &["search", "PLC"]));
    assert!(out.contains("2-02-07-07"), "{out}");
    let bad = common::zhiye_output(&dir, &tax_args(d, &["show", "9-99-99-99"]));
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not in the taxonomy"));
}
