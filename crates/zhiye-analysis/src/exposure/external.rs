//! [`ExternalTable`]: exposure scores from elsewhere (another study, expert
//! ratings) at any OCD level, and their [`Comparison`] with the LLM scores.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use zhiye_core::{Level, OcdCode};

use super::ExposureScores;
use super::scores::roll_up;
use crate::input::{CsvInput, code_by_depth, field_error};
use crate::stats::{Correlation, pearson, spearman};
use crate::table::{Cell, Table};
use crate::{Error, Result};

/// Column names of a `code,score` CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnNames {
    /// The code column. Default `code`.
    pub code: String,
    /// The score column. Default `score`.
    pub score: String,
}

impl Default for ColumnNames {
    fn default() -> ColumnNames {
        ColumnNames { code: "code".into(), score: "score".into() }
    }
}

/// Scores of classes at one OCD level, from outside this project.
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalTable {
    /// A short name for tables and logs (the file stem when read from a file).
    pub name: String,
    /// The level of every code ([`Level::Fine`] = occupations, including
    /// undivided small classes).
    pub level: Level,
    /// Score per class, on the source's own scale.
    pub scores: BTreeMap<OcdCode, f64>,
}

/// One element of the yanmingcao/jobs-china `site_data.json` array; other keys are ignored.
#[derive(Deserialize)]
struct SiteEntry {
    code: String,
    exposure: Option<f64>,
}

impl ExternalTable {
    /// Reads a CSV file of `code,score` rows (column names from `columns`).
    /// The level is the codes' depth: `2-02` medium, `2-02-10` small,
    /// `2-02-10-01` fine; every row must have the same depth. Scores must be
    /// finite numbers; a code may appear once.
    pub fn read_csv(path: impl AsRef<Path>, columns: &ColumnNames) -> Result<ExternalTable> {
        let path = path.as_ref();
        read_code_score(CsvInput::open(path)?, columns, None, stem(path))
    }

    /// Reads `code,score` CSV text; `path` is used in error messages and as the name.
    pub fn from_csv_reader(reader: impl Read, path: &Path, columns: &ColumnNames) -> Result<ExternalTable> {
        read_code_score(CsvInput::from_reader(Box::new(reader), path)?, columns, None, stem(path))
    }

    /// Reads expert scores of medium classes (CSV `code,score`, codes such as
    /// `2-02`); a code at another level is an error naming its row.
    pub fn read_expert_medium(path: impl AsRef<Path>) -> Result<ExternalTable> {
        let path = path.as_ref();
        read_code_score(CsvInput::open(path)?, &ColumnNames::default(), Some(Level::Medium), stem(path))
    }

    /// Reads the JSON of github.com/yanmingcao/jobs-china (`site/data.json`):
    /// an array of objects with a small-class `code` such as `2-02-10` and an
    /// `exposure` score from 0 to 10 (kept on that scale; correlations do not
    /// depend on it). Entries with a null `exposure` are skipped. Rows in
    /// error messages are 1-based array positions.
    pub fn read_site_json(path: impl AsRef<Path>) -> Result<ExternalTable> {
        let path = path.as_ref();
        let text = std::fs::read(path).map_err(|source| Error::Io { path: path.into(), source })?;
        let entries: Vec<SiteEntry> =
            serde_json::from_slice(&text).map_err(|source| Error::Json { path: path.into(), source })?;
        let mut table = TableBuilder::new(path, stem(path), None);
        for (i, e) in entries.iter().enumerate() {
            let row = i as u64 + 1;
            let code = code_by_depth(&e.code).map_err(|m| field_error(path, row, "code", m))?;
            let Some(score) = e.exposure else { continue };
            if !score.is_finite() {
                return Err(field_error(path, row, "exposure", format!("{score} is not a finite number")));
            }
            table.push(row, &e.code, code, score)?;
        }
        table.finish(path)
    }

    /// The scores rolled up to medium classes by the mean of children at each
    /// step; empty for a table of large classes.
    pub fn at_medium(&self) -> BTreeMap<OcdCode, f64> {
        if self.level < Level::Medium {
            return BTreeMap::new();
        }
        roll_up(&self.scores, self.level, Level::Medium)
    }

    /// Correlations with the LLM scores at this table's level and at the
    /// medium level (both rolled up by the mean of children).
    pub fn compare(&self, llm: &ExposureScores) -> ExternalComparison {
        let own_level = Comparison::new(self.level, &llm.scores(self.level), &self.scores);
        let medium = Comparison::new(Level::Medium, &llm.scores(Level::Medium), &self.at_medium());
        ExternalComparison { name: self.name.clone(), own_level, medium }
    }
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

/// Collects `(code, score)` rows, checking depth and duplicates.
struct TableBuilder {
    name: String,
    expected: Option<Level>,
    level: Option<(Level, u64)>,
    first_row: HashMap<OcdCode, u64>,
    scores: BTreeMap<OcdCode, f64>,
    path: std::path::PathBuf,
}

impl TableBuilder {
    fn new(path: &Path, name: String, expected: Option<Level>) -> TableBuilder {
        TableBuilder {
            name,
            expected,
            level: None,
            first_row: HashMap::new(),
            scores: BTreeMap::new(),
            path: path.into(),
        }
    }

    fn push(&mut self, row: u64, text: &str, code: OcdCode, score: f64) -> Result<()> {
        let depth = Level::from_depth(text.trim().split('-').count()).unwrap_or(code.level());
        if let Some(want) = self.expected.filter(|&l| l != depth) {
            let msg = format!("{} is a {depth} code, expected a {want} code", text.trim());
            return Err(field_error(&self.path, row, "code", msg));
        }
        match self.level {
            Some((level, first)) if level != depth => {
                let msg = format!("{} is a {depth} code but row {first} is {level}: one level per table", text.trim());
                return Err(field_error(&self.path, row, "code", msg));
            }
            Some(_) => {}
            None => self.level = Some((depth, row)),
        }
        if let Some(&first_row) = self.first_row.get(&code) {
            return Err(Error::Duplicate {
                path: self.path.clone(),
                row,
                first_row,
                key: format!("code {}", text.trim()),
            });
        }
        self.first_row.insert(code, row);
        self.scores.insert(code, score);
        Ok(())
    }

    fn finish(self, path: &Path) -> Result<ExternalTable> {
        let Some((level, _)) = self.level else {
            return Err(Error::Input { context: path.display().to_string(), message: "no scored rows".into() });
        };
        Ok(ExternalTable { name: self.name, level, scores: self.scores })
    }
}

fn read_code_score(
    input: CsvInput<'_>,
    columns: &ColumnNames,
    expected: Option<Level>,
    name: String,
) -> Result<ExternalTable> {
    let (code, score) = (input.column(&columns.code)?, input.column(&columns.score)?);
    let path = input.path().to_path_buf();
    let mut table = TableBuilder::new(&path, name, expected);
    input.for_each_row(|r| {
        let c = r.code(code)?;
        let s = r.number(score)?;
        table.push(r.row, r.text(code), c, s)
    })?;
    table.finish(&path)
}

/// One class scored by both sources.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ComparisonPoint {
    /// The class.
    #[serde(serialize_with = "crate::serialize::code")]
    pub code: OcdCode,
    /// The LLM score.
    pub llm: f64,
    /// The other source's score.
    pub other: f64,
}

/// LLM scores against another source's scores, joined by code at one level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The level of the join.
    #[serde(serialize_with = "crate::serialize::level")]
    pub level: Level,
    /// Number of classes both sources scored.
    pub n: usize,
    /// Pearson correlation (`None` when undefined).
    pub pearson: Option<Correlation>,
    /// Spearman correlation (`None` when undefined).
    pub spearman: Option<Correlation>,
    /// The joined classes, in code order, for a scatter plot.
    pub points: Vec<ComparisonPoint>,
}

impl Comparison {
    /// Joins two score tables of the same level by code and correlates them.
    /// For the paper's Fig. 1, pass the LLM medium scores and the expert table's scores.
    pub fn new(level: Level, llm: &BTreeMap<OcdCode, f64>, other: &BTreeMap<OcdCode, f64>) -> Comparison {
        let points: Vec<ComparisonPoint> = llm
            .iter()
            .filter_map(|(code, l)| Some(ComparisonPoint { code: *code, llm: *l, other: *other.get(code)? }))
            .collect();
        let x: Vec<f64> = points.iter().map(|p| p.llm).collect();
        let y: Vec<f64> = points.iter().map(|p| p.other).collect();
        Comparison { level, n: points.len(), pearson: pearson(&x, &y), spearman: spearman(&x, &y), points }
    }

    /// The joined points: `code, llm, other`.
    pub fn points_table(&self) -> Table {
        let mut t = Table::new(["code", "llm", "other"]);
        for p in &self.points {
            t.push(vec![p.code.written_at(self.level).into(), p.llm.into(), p.other.into()]);
        }
        t
    }

    fn summary_row(&self, name: &str) -> Vec<Cell> {
        let parts = |c: &Option<Correlation>| match c {
            Some(c) => [Cell::from(c.r), Cell::from(c.p), Cell::from(c.stars())],
            None => [Cell::Empty, Cell::Empty, Cell::Empty],
        };
        let mut row = vec![name.into(), self.level.name().into(), self.n.into()];
        row.extend(parts(&self.pearson));
        row.extend(parts(&self.spearman));
        row
    }
}

/// Column names of [`Comparison`] summary tables.
const SUMMARY_COLUMNS: [&str; 9] =
    ["source", "level", "n", "pearson_r", "pearson_p", "pearson_stars", "spearman_r", "spearman_p", "spearman_stars"];

/// An [`ExternalTable`] compared with the LLM scores at its own level and at medium level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExternalComparison {
    /// The external table's name.
    pub name: String,
    /// At the external table's level.
    pub own_level: Comparison,
    /// At the medium level.
    pub medium: Comparison,
}

impl ExternalComparison {
    /// Both comparisons as rows: `source, level, n, pearson_r, pearson_p,
    /// pearson_stars, spearman_r, spearman_p, spearman_stars`.
    pub fn summary_table(&self) -> Table {
        let mut t = Table::new(SUMMARY_COLUMNS);
        t.push(self.own_level.summary_row(&self.name));
        if self.own_level.level != Level::Medium {
            t.push(self.medium.summary_row(&self.name));
        }
        t
    }
}
