//! No panics on any input: the title cleaner, normalisation, the repost key,
//! every field parser and the CSV and JSONL importers, on arbitrary strings
//! and bytes (proptest). The `fuzz/` targets run the same functions under
//! libFuzzer for longer (see fuzz/README.md).

use std::path::PathBuf;

use proptest::prelude::*;
use zhiye_ingest::fields::{parse_date, parse_education, parse_experience, parse_headcount, parse_salary};
use zhiye_ingest::import::{ImportOptions, Mapping, import};
use zhiye_postings::dedup_key;
use zhiye_text::TitleCleaner;
use zhiye_text::normalize::normalize;

/// Text that looks like a job board's: Chinese, ASCII, digits, brackets and
/// the separators boards use, beside any character at all.
fn board_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u{4e00}-\\u{4e80}a-zA-Z0-9 ()（）【】\\[\\]/·|,，.．~-－—万千元K年月日天时/]{0,40}",
        any::<String>(),
    ]
}

fn cleaner() -> TitleCleaner {
    TitleCleaner::new(["北京", "上海", "广州"], ["急招", "诚聘"], ["北京烤鸭"]).unwrap()
}

const MAPPING: &str = r#"
platform = "fuzz"

[columns.title]
from = [0]
[columns.salary_text]
from = [1]
[columns.posted_at]
from = [2]
"#;

/// Imports `bytes` as the file `name`; an error is allowed (a file that is not
/// CSV or JSONL), a panic is not, and a summary's ledger balances.
fn import_bytes(name: &str, bytes: &[u8]) -> Option<zhiye_ingest::import::ImportSummary> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).unwrap();
    let mut text = MAPPING.to_owned();
    if name.ends_with(".jsonl") {
        text = text.replace("from = [0]", "from = [\"title\"]").replace("from = [1]", "from = [\"salary\"]");
        text = text.replace("from = [2]", "from = [\"date\"]");
    }
    let mapping = Mapping::from_toml(&text, &PathBuf::from("fuzz.toml")).unwrap();
    let summary = import(&[input], &mapping, &dir.path().join("out"), &ImportOptions::default()).ok()?;
    assert!(summary.balanced(), "{summary:?}");
    Some(summary)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_title_cleaner_and_normalisation_take_any_text(s in board_text()) {
        let _ = cleaner().clean(&s);
        let n = normalize(&s);
        prop_assert_eq!(normalize(&n), n, "normalisation is idempotent");
    }

    #[test]
    fn the_repost_key_takes_any_text(a in board_text(), b in board_text(), c in board_text()) {
        let _ = dedup_key(&a, &b, &c);
    }

    #[test]
    fn the_field_parsers_take_any_text(s in board_text(), year in proptest::option::of(1900i32..2100)) {
        let _ = parse_salary(&s);
        let _ = parse_experience(&s);
        let _ = parse_education(&s);
        let _ = parse_headcount(&s);
        let _ = parse_date(&s, year);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_csv_importer_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = import_bytes("dump.csv", &bytes);
    }

    #[test]
    fn the_csv_importer_takes_any_rows(rows in prop::collection::vec((board_text(), board_text(), board_text()), 0..20)) {
        let mut text = String::from("title,salary,date\n");
        let n = rows.len() as u64;
        for (a, b, c) in rows {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            text.push_str(&format!("{},{},{}\n", q(&a), q(&b), q(&c)));
        }
        // Well-formed CSV: every row is imported or quarantined.
        let summary = import_bytes("dump.csv", text.as_bytes()).expect("well-formed CSV imports");
        prop_assert_eq!(summary.rows_in, n);
        prop_assert_eq!(summary.rows_out + summary.quarantined, n);
    }

    #[test]
    fn the_jsonl_importer_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = import_bytes("dump.jsonl", &bytes);
    }
}
