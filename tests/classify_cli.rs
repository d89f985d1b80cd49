//! `zhiye classify` with the embedded configuration (run from the repository,
//! whose `data/ocd2022` `make setup` fills): the code, its name, the trusted
//! level and the evidence, as a table or JSON lines, from arguments or stdin.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{taxonomy_dir, zhiye};

#[test]
fn titles_from_arguments_and_stdin() {
    taxonomy_dir();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lines = zhiye(root, &["classify", "--format", "json", "急招会计（北京）", "abcdefg"]);
    let rows: Vec<serde_json::Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2, "{lines}");
    assert_eq!((rows[0]["code"].as_str(), rows[0]["name"].as_str()), (Some("2-06-03-00"), Some("会计专业人员")));
    assert_eq!(rows[0]["method"], "rule");
    let evidence = rows[0]["evidence"].as_str().unwrap();
    assert!(evidence.contains("rule=accountant") && evidence.contains("bracket:北京"), "{evidence}");
    assert_eq!(rows[0]["top_k"].as_array().unwrap().len(), 5);
    assert_eq!((rows[1]["code"].as_str(), rows[1]["method"].as_str()), (None, Some("unclassified")));

    // stdin, the table: one block per title.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhiye"))
        .args(["classify", "-"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("数控车工\n护士\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("数控车工: 6-18-01-01 车工"), "{text}");
    assert!(text.contains("\n护士: 2-05-08-"), "{text}");
    assert_eq!(text.matches("evidence:").count(), 2, "{text}");
}
