//! Helpers shared by the integration tests.

pub mod nightly;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The taxonomy folder `make setup` fills; panics with the fix when absent.
pub fn taxonomy_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ocd2022");
    assert!(dir.join("csco22.csv").exists(), "{} is missing: run `make setup` first", dir.display());
    dir
}

/// Runs the `zhiye` binary with `args` in `cwd`; panics with its output on failure.
pub fn zhiye(cwd: &Path, args: &[&str]) -> String {
    let out = zhiye_output(cwd, args);
    assert!(
        out.status.success(),
        "zhiye {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs the `zhiye` binary and returns its raw output.
pub fn zhiye_output(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhiye")).args(args).current_dir(cwd).output().expect("zhiye runs")
}

/// Every file under `dir` (relative path, bytes), in path order.
#[allow(dead_code)] // Not every test binary compares outputs.
pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
