//! `zhiye label` against a misbehaving chat-completions server on 127.0.0.1
//! (tests/chat_server): retries, strict parsing, the cache and resuming after
//! a kill, a changed prompt, a refused key, and the labels feeding
//! `zhiye exposure score`. Nothing reaches the internet.

mod chat_server;
mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chat_server::{ChatServer, label_for};
use common::{taxonomy_dir, zhiye, zhiye_output};
use zhiye_core::Taxonomy;

/// The first `n` fine occupations of large class 2 (kept by `exposure score`).
fn codes(n: usize) -> Vec<String> {
    let t = Taxonomy::from_path(taxonomy_dir().join("csco22.csv")).unwrap();
    let mut out: Vec<String> = t.occupations().iter().map(|&i| t.classes()[i].code.to_string()).collect();
    out.retain(|c| c.starts_with("2-"));
    out.truncate(n);
    out
}

struct Setup {
    dir: tempfile::TempDir,
    config: PathBuf,
}

fn setup(server: &ChatServer, codes: &[String], models: &[&str], runs: u32, flush_every: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/prompts/exposure_e0e3.v1.toml");
    let mut text = format!(
        "taxonomy_dir = {:?}\ntemplate = {:?}\nruns = {runs}\ncodes = {:?}\ncache_dir = \"cache\"\n\
         output = \"labels.csv\"\nconcurrency = 4\ntimeout_seconds = 0.5\nmax_attempts = 4\nbackoff_ms = 10\n\
         backoff_max_ms = 50\nflush_every = {flush_every}\n",
        taxonomy_dir(),
        template,
        codes
    );
    for m in models {
        text += &format!(
            "[[models]]\nname = \"{m}-name\"\nbase_url = \"{}\"\nmodel = \"{m}\"\nrequests_per_minute = 60000\n\
             price_input_per_mtok = 1.0\nprice_output_per_mtok = 2.0\n",
            server.url
        );
    }
    let config = dir.path().join("label.toml");
    std::fs::write(&config, text).unwrap();
    Setup { dir, config }
}

fn summary(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not a JSON summary ({e}):\n{out}"))
}

/// The labels file: (code, model, run) → (label, raw).
fn labels(path: &Path) -> HashMap<(String, String, u32), (String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key = (rec[0].to_string(), rec[1].to_string(), rec[2].parse().unwrap());
        assert!(out.insert(key, (rec[3].to_string(), rec[4].to_string())).is_none(), "a key twice");
    }
    out
}

#[test]
fn misbehaving_server_gives_exact_labels_and_the_invalid_one_is_recorded() {
    let codes = codes(15);
    let bad = codes[3].clone();
    let server = ChatServer::start(&bad, Duration::ZERO, Duration::from_millis(1500));
    let s = setup(&server, &codes, &["alpha", "beta"], 2, 7);
    let cfg = s.config.to_str().unwrap();
    let out = summary(&zhiye(s.dir.path(), &["label", "--label-config", cfg, "--format", "json"]));

    let wanted = codes.len() * 2 * 2;
    assert_eq!(out["wanted"], wanted);
    assert_eq!(out["cached"], 0);
    assert_eq!(out["invalid"], 4, "the always-two-labels occupation, 2 models × 2 runs: {out}");
    assert_eq!(out["labelled"], wanted - 4);
    assert_eq!(out["failed"], 0);
    assert_eq!(out["requests"].as_u64().unwrap(), server.requests.load(std::sync::atomic::Ordering::Relaxed));
    assert_eq!(server.classes_seen(), 7, "every misbehaviour served");
    for cause in ["rate_limited", "server_error", "transport", "malformed", "unparseable"] {
        assert!(out["retries"][cause].as_u64().unwrap_or(0) >= 1, "no {cause} retry: {out}");
    }
    // 4 attempts for each of the bad occupation's labels.
    assert_eq!(server.requests_for(&bad, "alpha"), 2 * 4);
    // Tokens are what completions report (700 + 3 each here): failed requests report none.
    let alpha = &out["models"][0];
    let (tokens, requests) = (alpha["prompt_tokens"].as_u64().unwrap(), alpha["requests"].as_u64().unwrap());
    assert!(tokens % 700 == 0 && tokens >= 700 * 30 && tokens < 700 * requests, "{alpha}");
    assert_eq!(alpha["completion_tokens"].as_u64().unwrap() * 700, tokens * 3);
    let cost = (tokens as f64 + 2.0 * alpha["completion_tokens"].as_f64().unwrap()) / 1e6;
    assert!((alpha["cost"].as_f64().unwrap() - cost).abs() < 1e-12, "{alpha}");

    let got = labels(&s.dir.path().join("labels.csv"));
    assert_eq!(got.len(), wanted);
    for ((code, model, run), (label, raw)) in &got {
        assert!(model == "alpha-name" || model == "beta-name");
        assert!((1..=2).contains(run));
        if *code == bad {
            assert_eq!((label.as_str(), raw.as_str()), ("invalid", "E1 或 E2"), "never guessed");
        } else {
            assert_eq!(label, label_for(code), "{code} {model} {run}: raw {raw:?}");
        }
    }

    // A second run asks nothing; a changed prompt asks everything again.
    let again = summary(&zhiye(s.dir.path(), &["label", "--label-config", cfg, "--format", "json"]));
    assert_eq!((again["cached"].as_u64(), again["asked"].as_u64()), (Some(wanted as u64), Some(0)));
    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/prompts/exposure_e0e3.v1.toml"))
            .unwrap();
    let changed = s.dir.path().join("changed.toml");
    std::fs::write(&changed, template.replace("不要解释", "请不要解释")).unwrap();
    let text = std::fs::read_to_string(&s.config).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = format!("template = {changed:?}");
    std::fs::write(&s.config, lines.join("\n")).unwrap();
    let fresh = summary(&zhiye(s.dir.path(), &["label", "--label-config", cfg, "--format", "json"]));
    assert_eq!((fresh["cached"].as_u64(), fresh["asked"].as_u64()), (Some(0), Some(wanted as u64)), "{fresh}");

    // The labels feed `zhiye exposure score` end to end.
    let scored = s.dir.path().join("scored");
    let taxonomy = taxonomy_dir();
    let args = ["exposure", "score", "--labels", "labels.csv", "--out", scored.to_str().unwrap()];
    zhiye(s.dir.path(), &[&args[..], &["--taxonomy", taxonomy.to_str().unwrap()]].concat());
    let fine = std::fs::read_to_string(scored.join("exposure_fine.csv")).unwrap();
    for code in codes.iter().filter(|c| **c != bad) {
        assert!(fine.contains(code.as_str()), "{code} not scored:\n{fine}");
    }
}

#[test]
fn killed_run_resumes_without_asking_twice() {
    let codes = codes(40);
    let server = ChatServer::start("none", Duration::from_millis(40), Duration::from_millis(1500));
    let s = setup(&server, &codes, &["alpha"], 2, 5);
    let cache = s.dir.path().join("cache");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhiye"))
        .args(["label", "--label-config", s.config.to_str().unwrap(), "--format", "json"])
        .current_dir(s.dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let parts = |dir: &Path| {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".parquet"))).count()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while parts(&cache) < 2 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it was killed");
        assert!(Instant::now() < deadline, "no cache part in 60 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let config = zhiye_label::LabelConfig::from_path(&s.config).unwrap();
    let mut config_in_dir = config.clone();
    config_in_dir.cache_dir = cache.clone();
    let kept = zhiye_label::cached_labels(&config_in_dir).unwrap();
    let wanted = codes.len() * 2;
    assert!(kept.len() >= 10 && kept.len() < wanted, "{} labels kept at the kill", kept.len());
    assert!(!s.dir.path().join("labels.csv").exists(), "no labels file before the end");
    let asked_before: HashMap<String, u32> =
        codes.iter().map(|c| (c.clone(), server.requests_for(c, "alpha"))).collect();

    let out =
        summary(&zhiye(s.dir.path(), &["label", "--label-config", s.config.to_str().unwrap(), "--format", "json"]));
    assert_eq!(out["cached"].as_u64().unwrap() as usize, kept.len());
    assert_eq!(out["asked"].as_u64().unwrap() as usize, wanted - kept.len());
    assert_eq!(out["failed"], 0);
    // A label kept at the kill is never asked for again.
    for ((code, _, _, _), _) in kept.iter() {
        let runs_kept = kept.keys().filter(|k| &k.0 == code).count();
        if runs_kept == 2 {
            assert_eq!(server.requests_for(code, "alpha"), asked_before[code], "{code} asked again after the kill");
        }
    }
    let got = labels(&s.dir.path().join("labels.csv"));
    assert_eq!(got.len(), wanted);
    assert!(got.iter().all(|((code, _, _), (label, _))| label == label_for(code)));
}

#[test]
fn a_refused_key_stops_the_run_with_the_status() {
    let server = ChatServer::start("none", Duration::ZERO, Duration::ZERO);
    let s = setup(&server, &codes(5), &["deny"], 1, 5);
    let out = zhiye_output(s.dir.path(), &["label", "--label-config", s.config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("401") && err.contains("deny-name"), "{err}");
    // Far fewer requests than labels: the run stopped instead of trying every occupation.
    assert!(server.requests.load(std::sync::atomic::Ordering::Relaxed) <= 4);
    // Nothing listening: the run gives up after a streak of failures instead of trying all 500 labels.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let text = std::fs::read_to_string(&s.config).unwrap().replace(&server.url, &format!("http://127.0.0.1:{port}/v1"));
    let down = s.dir.path().join("down.toml");
    std::fs::write(&down, text.replace("model = \"deny\"", "model = \"m\"").replace("runs = 1", "runs = 100")).unwrap();
    let out = zhiye_output(s.dir.path(), &["label", "--label-config", down.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("in a row failed every attempt") && err.contains("Transport"), "{err}");
    // A configuration error is exit code 2.
    std::fs::write(&s.config, "runs = 2\n").unwrap();
    let out = zhiye_output(s.dir.path(), &["label", "--label-config", s.config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}
