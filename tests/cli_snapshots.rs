//! The command line as users meet it: the `--help` of every command and the
//! messages of common mistakes, compared with the files under
//! `tests/snapshots/`. A change to either is a change to the interface, so it
//! shows up in review: `ZHIYE_BLESS=1 cargo nextest run --test cli_snapshots`
//! rewrites the snapshots, and the diff says what users will see.

mod common;

use std::path::{Path, PathBuf};

use common::zhiye_output;

/// Every command path, as typed after `zhiye`.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["setup"],
    &["taxonomy"],
    &["taxonomy", "stats"],
    &["taxonomy", "show"],
    &["taxonomy", "search"],
    &["classify"],
    &["eval"],
    &["fit"],
    &["learn"],
    &["generate"],
    &["run"],
    &["runs"],
    &["runs", "list"],
    &["runs", "show"],
    &["aggregate"],
    &["exposure"],
    &["exposure", "score"],
    &["index"],
    &["search"],
    &["label"],
    &["report"],
    &["import"],
    &["bench"],
];

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Compares `got` with the snapshot `name`, or writes it under `ZHIYE_BLESS=1`;
/// returns a description of the difference.
fn check(name: &str, got: &str) -> Option<String> {
    let path = snapshots().join(name);
    if std::env::var_os("ZHIYE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return None;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    (want != got).then(|| {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        format!(
            "{name}: differs from line {}:\n  snapshot: {:?}\n  now:      {:?}",
            line + 1,
            want.lines().nth(line).unwrap_or("<end>"),
            got.lines().nth(line).unwrap_or("<end>")
        )
    })
}

#[test]
fn help_of_every_command_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut diffs = Vec::new();
    for cmd in COMMANDS {
        let args: Vec<&str> = cmd.iter().copied().chain(["--help"]).collect();
        let out = zhiye_output(dir.path(), &args);
        assert!(out.status.success(), "zhiye {args:?} failed");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: zhiye"), "zhiye {args:?}: {text}");
        let name = if cmd.is_empty() { "zhiye".to_string() } else { cmd.join("_") };
        diffs.extend(check(&format!("help/{name}.txt"), &text));
    }
    assert!(diffs.is_empty(), "{}\n(ZHIYE_BLESS=1 rewrites the snapshots)", diffs.join("\n"));
}

#[test]
fn every_command_takes_the_global_options_and_data_commands_a_format() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in COMMANDS.iter().filter(|c| !c.is_empty()) {
        let args: Vec<&str> = cmd.iter().copied().chain(["--help"]).collect();
        let text = String::from_utf8(zhiye_output(dir.path(), &args).stdout).unwrap();
        for global in ["--config <FILE>", "--verbose", "--quiet", "--log-format"] {
            assert!(text.contains(global), "zhiye {cmd:?} lacks {global}");
        }
        assert!(!text.contains("--json"), "zhiye {cmd:?} still speaks --json");
    }
    for cmd in [&["classify"][..], &["eval"], &["run"], &["runs"], &["taxonomy"], &["search"], &["index"], &["label"]] {
        let args: Vec<&str> = cmd.iter().copied().chain(["--help"]).collect();
        let text = String::from_utf8(zhiye_output(dir.path(), &args).stdout).unwrap();
        assert!(text.contains("--format <FORMAT>") && text.contains("csv"), "zhiye {cmd:?} lacks --format csv");
    }
}

/// Mistakes a user makes, each with the exit code and the message it gets.
#[test]
fn error_messages_match_their_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("typo.toml"), "[classify]\ntop_kk = 5\n").unwrap();
    std::fs::write(dir.path().join("gold.csv"), "title,code\n会计,2-06-01-02\n").unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("missing_config", &["run", "--config", "nowhere.toml"]),
        ("unknown_option", &["classify", "会计", "--config", "typo.toml"]),
        ("missing_taxonomy", &["taxonomy", "--taxonomy", "no-such-dir", "stats"]),
        ("not_a_code", &["taxonomy", "--taxonomy", "TAXONOMY", "show", "9-99"]),
        ("missing_gold", &["eval", "--gold", "nowhere.csv"]),
        ("missing_mapping", &["import", "--input", "gold.csv", "--mapping", "nowhere.toml", "--out", "imported"]),
        ("bad_format", &["classify", "会计", "--format", "xml"]),
        ("missing_labels", &["exposure", "score", "--labels", "nowhere.csv", "--taxonomy", "no-such-dir"]),
    ];
    // The real taxonomy's folder stands in for `TAXONOMY`, so that the snapshot names no machine's path.
    let taxonomy = common::taxonomy_dir();
    let mut diffs = Vec::new();
    for (name, args) in cases {
        let real: Vec<&str> =
            args.iter().map(|a| if *a == "TAXONOMY" { taxonomy.to_str().unwrap() } else { a }).collect();
        let out = zhiye_output(dir.path(), &real);
        assert!(!out.status.success(), "zhiye {args:?} succeeded");
        let text = format!(
            "$ zhiye {}\nexit code {}\n{}",
            args.join(" "),
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr)
        );
        diffs.extend(check(&format!("errors/{name}.txt"), &text));
    }
    assert!(diffs.is_empty(), "{}\n(ZHIYE_BLESS=1 rewrites the snapshots)", diffs.join("\n"));
}
