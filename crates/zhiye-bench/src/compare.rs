//! The comparisons that run other programs: the Python peer coder and DuckDB,
//! each in its own venv, set up by `scripts/python_venv.sh` on first use.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arrow::compute::cast;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use serde::{Deserialize, Serialize};
use zhiye_agg::{Query, QueryRole};

use super::{BenchError, Result};

/// Modules the peer imports (its requirements pin their versions).
const PEER_MODULES: &str = "jieba, sklearn, rapidfuzz, pyarrow, pandas";

/// Where the scripts and venvs are: the repository root.
#[derive(Clone, Debug)]
pub(crate) struct Scripts {
    pub(crate) repo: PathBuf,
}

impl Scripts {
    /// Makes sure `venv` (under the repository) imports `modules`, installing
    /// `pip_args` otherwise; returns its Python.
    fn venv(&self, venv: &str, modules: &str, pip_args: &[&std::ffi::OsStr]) -> Result<PathBuf> {
        let dir = self.repo.join(venv);
        let out = Command::new("bash")
            .arg(self.repo.join("scripts/python_venv.sh"))
            .arg(&dir)
            .arg(modules)
            .args(pip_args)
            .output()
            .map_err(|source| BenchError::Spawn { tool: "bash scripts/python_venv.sh".into(), source })?;
        check("scripts/python_venv.sh", &out)?;
        Ok(dir.join("bin/python"))
    }

    /// The peer's Python, from `.venv-peer` (as `scripts/compare_peer.sh`).
    pub(crate) fn peer_python(&self, peer: &Path) -> Result<PathBuf> {
        let requirements = peer.join("requirements.txt");
        self.venv(".venv-peer", PEER_MODULES, &["-r".as_ref(), requirements.as_os_str()])
    }

    /// DuckDB's Python, from `.venv-duckdb` (pinned in `scripts/bench_duckdb.requirements.txt`).
    pub(crate) fn duckdb_python(&self) -> Result<PathBuf> {
        let requirements = self.repo.join("scripts/bench_duckdb.requirements.txt");
        self.venv(".venv-duckdb", "duckdb", &["-r".as_ref(), requirements.as_os_str()])
    }
}

/// Fails with the program's output unless it succeeded.
fn check(tool: &str, out: &Output) -> Result<()> {
    if out.status.success() {
        return Ok(());
    }
    Err(BenchError::Tool {
        tool: tool.into(),
        message: format!(
            "{}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    })
}

/// A Python command. The peers run with their allocator's defaults: the two
/// malloc arenas `zhiye` re-executes itself with are zhiye's setting, not theirs.
fn python(python: &Path) -> Command {
    let mut c = Command::new(python);
    c.env_remove("GLIBC_TUNABLES");
    c
}

/// What the peer reports of a `classify` run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PeerRun {
    pub(crate) rows: u64,
    /// Classification seconds (model build and I/O excluded).
    pub(crate) seconds: f64,
    /// Share of rows decided by an exact title match (the description unread).
    pub(crate) exact_share: Option<f64>,
}

/// Runs the peer's `classify` on `input` (title, description) with `workers`
/// processes.
pub(crate) fn run_peer(
    python_bin: &Path,
    peer: &Path,
    taxonomy_csv: &Path,
    input: &Path,
    output: &Path,
    workers: usize,
) -> Result<PeerRun> {
    let out = python(python_bin)
        .arg(peer.join("baseline_coder.py"))
        .arg("classify")
        .arg("--taxonomy")
        .arg(taxonomy_csv)
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(["--title-col", "title", "--desc-col", "description", "--workers"])
        .arg(workers.to_string())
        .output()
        .map_err(|source| BenchError::Spawn { tool: "python peer".into(), source })?;
    check("python peer", &out)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    parse_peer(&stdout).ok_or_else(|| BenchError::Tool {
        tool: "python peer".into(),
        message: format!("no `classified N … in S s` line in its output:\n{stdout}"),
    })
}

/// Reads `classified 20000 postings (title+description) with 2 worker(s) in
/// 7.681s: 2,604 rows/s …` and `stage 1 exact matches: 30.8%`.
fn parse_peer(stdout: &str) -> Option<PeerRun> {
    let line = stdout.lines().find(|l| l.starts_with("classified "))?;
    let rows = line.split_whitespace().nth(1)?.parse().ok()?;
    let after = &line[line.find(" in ")? + 4..];
    let seconds = after[..after.find("s:")?].trim().parse().ok()?;
    let exact_share = stdout
        .lines()
        .find_map(|l| l.strip_prefix("stage 1 exact matches:"))
        .and_then(|v| v.trim().trim_end_matches('%').parse::<f64>().ok())
        .map(|p| p / 100.0);
    Some(PeerRun { rows, seconds, exact_share })
}

/// A statement as the DuckDB script reads it.
#[derive(Serialize)]
struct Statement<'a> {
    name: &'a str,
    sql: &'a str,
    role: &'a str,
}

/// Writes the aggregation's statements as JSON for the DuckDB script.
pub(crate) fn write_queries(path: &Path, queries: &[Query]) -> Result<()> {
    let statements: Vec<Statement<'_>> = queries
        .iter()
        .map(|q| Statement {
            name: &q.name,
            sql: &q.sql,
            role: if q.role == QueryRole::Table { "table" } else { "partial" },
        })
        .collect();
    let json = serde_json::to_vec_pretty(&statements)
        .map_err(|source| BenchError::Json { what: path.display().to_string(), source })?;
    std::fs::write(path, json).map_err(BenchError::io(path))
}

/// What the DuckDB script reports.
#[derive(Debug, Deserialize)]
pub(crate) struct DuckdbRun {
    pub(crate) duckdb: String,
    pub(crate) seconds: f64,
    /// Rows of each published table.
    pub(crate) rows: BTreeMap<String, u64>,
    /// `occupation_year` at the fine level.
    pub(crate) occupation_year_fine: Vec<FineRow>,
}

/// Files the DuckDB script reads.
pub(crate) struct DuckdbInputs<'a> {
    pub(crate) queries: &'a Path,
    pub(crate) postings: &'a Path,
    pub(crate) levels: &'a Path,
    pub(crate) out: &'a Path,
}

/// Runs `scripts/bench_duckdb.py` with DuckDB on `threads` threads.
pub(crate) fn run_duckdb(
    scripts: &Scripts,
    python_bin: &Path,
    files: &DuckdbInputs<'_>,
    threads: usize,
) -> Result<DuckdbRun> {
    let out = python(python_bin)
        .arg(scripts.repo.join("scripts/bench_duckdb.py"))
        .arg("--queries")
        .arg(files.queries)
        .arg("--postings")
        .arg(files.postings)
        .arg("--levels")
        .arg(files.levels)
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--out")
        .arg(files.out)
        .output()
        .map_err(|source| BenchError::Spawn { tool: "duckdb".into(), source })?;
    check("scripts/bench_duckdb.py", &out)?;
    let text = std::fs::read(files.out).map_err(BenchError::io(files.out))?;
    serde_json::from_slice(&text).map_err(|source| BenchError::Json { what: files.out.display().to_string(), source })
}

/// A fine `occupation_year` row: code, year, postings, vacancies, wage
/// observations, median wage.
pub(crate) type FineRow = (Option<String>, Option<i64>, i64, i64, i64, Option<f64>);

/// Differences between zhiye's tables and DuckDB's: rows per table, and
/// postings, vacancies, wage observations and median wage (which goes through
/// the packed integer keys) of every fine occupation × year. Empty: they agree.
pub(crate) fn differences(tables: &[zhiye_agg::NamedTable], duck: &DuckdbRun) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in tables {
        match duck.rows.get(&t.name) {
            Some(&n) if n == t.batch.num_rows() as u64 => {}
            other => out.push(format!("{}: {} rows in zhiye, {other:?} in DuckDB", t.name, t.batch.num_rows())),
        }
    }
    let Some(year) = tables.iter().find(|t| t.name == "occupation_year") else {
        out.push("zhiye has no occupation_year".into());
        return Ok(out);
    };
    let ours = fine_counts(&year.batch)?;
    let theirs: BTreeMap<_, _> =
        duck.occupation_year_fine.iter().map(|(c, y, p, v, n, m)| ((c.clone(), *y), (*p, *v, *n, *m))).collect();
    for (key, mine) in &ours {
        match theirs.get(key) {
            Some(other) if same(mine, other) => {}
            other => out.push(format!(
                "fine {key:?}: (postings, vacancies, wage_n, wage_median) {mine:?} in zhiye, {other:?} in DuckDB"
            )),
        }
    }
    for key in theirs.keys().filter(|k| !ours.contains_key(*k)) {
        out.push(format!("fine {key:?}: only in DuckDB"));
    }
    Ok(out)
}

pub(crate) type FineKey = (Option<String>, Option<i64>);
pub(crate) type FineValues = (i64, i64, i64, Option<f64>);

/// Counts equal, medians equal to rounding (both are `exp` of the same bin).
fn same(a: &FineValues, b: &FineValues) -> bool {
    let close = match (a.3, b.3) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        (x, y) => x.is_none() && y.is_none(),
    };
    (a.0, a.1, a.2) == (b.0, b.1, b.2) && close
}

/// `(code, year) → (postings, vacancies, wage_n, wage_median)` at the fine level.
pub(crate) fn fine_counts(batch: &RecordBatch) -> Result<BTreeMap<FineKey, FineValues>> {
    let column = |name: &str| {
        batch
            .column_by_name(name)
            .ok_or_else(|| BenchError::Tool { tool: "occupation_year".into(), message: format!("no column {name}") })
    };
    let as_type = |name: &str, t: &DataType| -> Result<_> {
        cast(column(name)?, t).map_err(|source| BenchError::Column { column: name.into(), source })
    };
    let int64 = |name: &str| as_type(name, &DataType::Int64);
    let utf8 = |name: &str| as_type(name, &DataType::Utf8);
    let (level, code) = (utf8("level")?, utf8("code")?);
    let (level, code) = (level.as_string::<i32>(), code.as_string::<i32>());
    let (year, postings, vacancies) = (int64("year")?, int64("postings")?, int64("vacancies")?);
    let (wage_n, median) = (int64("wage_n")?, as_type("wage_median", &DataType::Float64)?);
    let year = year.as_primitive::<Int64Type>();
    let (postings, vacancies) = (postings.as_primitive::<Int64Type>(), vacancies.as_primitive::<Int64Type>());
    let (wage_n, median) = (wage_n.as_primitive::<Int64Type>(), median.as_primitive::<Float64Type>());
    let mut out = BTreeMap::new();
    for i in (0..batch.num_rows()).filter(|&i| level.value(i) == "fine") {
        let key = ((!code.is_null(i)).then(|| code.value(i).to_string()), (!year.is_null(i)).then(|| year.value(i)));
        let m = (!median.is_null(i)).then(|| median.value(i));
        out.insert(key, (postings.value(i), vacancies.value(i), wage_n.value(i), m));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_peer_summary_line() {
        let stdout = "classified 20000 postings (title+description) with 2 worker(s) in 7.681s: 2,604 rows/s \
                      (classification only; end-to-end incl. model build and I/O 12.43s)\nstage 1 exact matches: 30.8%\n";
        assert_eq!(parse_peer(stdout), Some(PeerRun { rows: 20_000, seconds: 7.681, exact_share: Some(0.308) }));
        assert_eq!(parse_peer("model built in 5.1s\n"), None);
    }
}
