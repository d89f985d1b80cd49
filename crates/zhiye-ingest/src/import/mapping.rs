//! The mapping file: which source columns feed which canonical column, and
//! how their text is cleaned on the way. Every key is documented on the
//! struct field that holds it and in `config/mappings/README.md`'s example;
//! unknown keys are errors naming the mapping file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::ImportError;
use crate::col;
use crate::fields::{
    DateFormat, Headcount, NoValue, parse_date, parse_education, parse_experience, parse_headcount, parse_salary,
};

/// How one source becomes canonical postings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Value of the `platform` column (`zhilian`, `51job`, `boss` …); required.
    pub platform: String,
    /// Input format; `auto` (default) picks it from the file extension.
    #[serde(default)]
    pub format: InputFormat,
    /// Text encoding of CSV files; `auto` (default) detects it.
    #[serde(default)]
    pub encoding: TextEncoding,
    /// CSV field delimiter, one ASCII character; default `,`.
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
    /// Whether the first row holds column names (CSV and workbooks); default
    /// `true`. A file whose header is meaningless (zhilian's `0,1,…,7`) keeps
    /// `true`, so that the row is skipped, and maps columns by index.
    #[serde(default = "default_true")]
    pub header: bool,
    /// Workbook sheets to read, by name; empty (default) reads every sheet.
    #[serde(default)]
    pub sheets: Vec<String>,
    /// Cell values read as missing after the column's transforms (`N/A`,
    /// `None` …); default none. An empty value is always missing.
    #[serde(default)]
    pub null_values: Vec<String>,
    /// Template of `posting_id` when the source has no id column (or its
    /// cell is empty): placeholders `{platform}`, `{file_stem}`, `{sheet}`,
    /// `{row}`. Default `{platform}-{file_stem}-{sheet}-{row}` for workbooks
    /// and `{platform}-{file_stem}-{row}` otherwise.
    #[serde(default)]
    pub posting_id: Option<String>,
    /// Year of dates printed without one (`08-21发布`); default none, which
    /// makes such dates invalid.
    #[serde(default)]
    pub year: Option<i32>,
    /// Canonical column → its sources and transforms. `title` is required;
    /// unmapped columns are null (`platform` and `posting_id` are filled from
    /// the keys above).
    pub columns: BTreeMap<Canonical, ColumnSpec>,
}

fn default_delimiter() -> char {
    ','
}

fn default_true() -> bool {
    true
}

/// How to fill one canonical column.
///
/// Each candidate of `from` is cleaned in this order: trim white space →
/// `unwrap_pylist` → `split`/`part` → trim → `null_values` → `append` →
/// `accept`. The first candidate left non-empty and accepted is the value;
/// a column with no such candidate is null.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// Candidate source columns, in order: header names (strings) or 0-based
    /// positions (integers). A name absent from a file's header is skipped
    /// (a misspelt header in one sheet can be listed beside the right one);
    /// a header listing a name twice feeds the first.
    pub from: Vec<SourceRef>,
    /// Reads a Python-list cell (`['1-1.5万/月']`, `[]`) as its items joined
    /// by a space; other text is left as it is. Default `false`.
    #[serde(default)]
    pub unwrap_pylist: bool,
    /// Splits the text on this separator and keeps part `part`; text without
    /// the separator is its own part 0. Default: no split.
    #[serde(default)]
    pub split: Option<String>,
    /// Part kept by `split`: 0 is the first, −1 the last. A missing part makes
    /// the candidate empty. Default 0.
    #[serde(default)]
    pub part: i64,
    /// Text appended to a value that has an ASCII digit and does not already
    /// end with it, e.g. `/年` for a board that states yearly pay without
    /// saying so (`18-36万` → `18-36万/年`, `面议` unchanged). Default none.
    #[serde(default)]
    pub append: Option<String>,
    /// Takes a candidate only if this field parser recognises it: routes
    /// shifted columns (51job's 工作经验 cell holding `本科` when a posting
    /// states no experience). A candidate rejected by every check leaves the
    /// column null; the summary counts such rows. Default: every value.
    #[serde(default)]
    pub accept: Option<FieldKind>,
    /// `posted_at` only: the date pattern (`%Y-%m-%d`, `%m-%d发布` …, see
    /// [`DateFormat`]); default: every form [`parse_date`] knows.
    #[serde(default)]
    pub date_format: Option<String>,
}

/// A source column, by header name or 0-based position.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum SourceRef {
    /// 0-based column position.
    Index(usize),
    /// Header name, matched exactly after trimming.
    Name(String),
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceRef::Index(i) => write!(f, "#{i}"),
            SourceRef::Name(n) => write!(f, "{n:?}"),
        }
    }
}

/// The field parsers a candidate can be checked with (`accept`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// [`parse_salary`]: a value or 面议.
    Salary,
    /// [`parse_experience`].
    Experience,
    /// [`parse_education`].
    Education,
    /// [`parse_headcount`]: a number or 若干.
    Headcount,
    /// [`parse_date`] (with the mapping's `year`).
    Date,
}

impl FieldKind {
    /// Whether the parser understands `text` (a value, or 面议 / 若干).
    pub fn recognises(self, text: &str, year: Option<i32>) -> bool {
        match self {
            FieldKind::Salary => parse_salary(text).map_or_else(NoValue::is_recognised, |_| true),
            FieldKind::Experience => parse_experience(text).is_ok(),
            FieldKind::Education => parse_education(text).is_ok(),
            FieldKind::Headcount => matches!(parse_headcount(text), Headcount::Count(_) | Headcount::Unspecified),
            FieldKind::Date => parse_date(text, year).is_ok(),
        }
    }
}

/// The columns of the canonical posting schema, in schema order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Canonical {
    /// `posting_id`.
    PostingId,
    /// `platform`.
    Platform,
    /// `posted_at` (parsed to a date).
    PostedAt,
    /// `title`.
    Title,
    /// `description`.
    Description,
    /// `company`.
    Company,
    /// `city`.
    City,
    /// `industry`.
    Industry,
    /// `salary_text`.
    SalaryText,
    /// `experience_text`.
    ExperienceText,
    /// `education_text`.
    EducationText,
    /// `headcount_text`.
    HeadcountText,
    /// `true_code`.
    TrueCode,
}

impl Canonical {
    /// Every canonical column, in schema order.
    pub const ALL: [Canonical; 13] = [
        Canonical::PostingId,
        Canonical::Platform,
        Canonical::PostedAt,
        Canonical::Title,
        Canonical::Description,
        Canonical::Company,
        Canonical::City,
        Canonical::Industry,
        Canonical::SalaryText,
        Canonical::ExperienceText,
        Canonical::EducationText,
        Canonical::HeadcountText,
        Canonical::TrueCode,
    ];

    /// The column name in [`crate::posting_schema`].
    pub fn name(self) -> &'static str {
        match self {
            Canonical::PostingId => col::POSTING_ID,
            Canonical::Platform => col::PLATFORM,
            Canonical::PostedAt => col::POSTED_AT,
            Canonical::Title => col::TITLE,
            Canonical::Description => col::DESCRIPTION,
            Canonical::Company => col::COMPANY,
            Canonical::City => col::CITY,
            Canonical::Industry => col::INDUSTRY,
            Canonical::SalaryText => col::SALARY_TEXT,
            Canonical::ExperienceText => col::EXPERIENCE_TEXT,
            Canonical::EducationText => col::EDUCATION_TEXT,
            Canonical::HeadcountText => col::HEADCOUNT_TEXT,
            Canonical::TrueCode => col::TRUE_CODE,
        }
    }

    /// Position in the schema.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Input file formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// By extension: `.csv`/`.tsv`/`.txt` → CSV; `.xlsx`/`.xlsm`/`.xlsb`/`.xls`/`.ods`
    /// → workbook; `.jsonl`/`.ndjson` → JSONL; `.parquet` → Parquet.
    #[default]
    Auto,
    /// Delimited text with the mapping's `delimiter` and `encoding`.
    Csv,
    /// A workbook (`calamine`: xlsx, xlsm, xlsb, xls, ods); every sheet unless `sheets` says.
    #[serde(alias = "workbook")]
    Xlsx,
    /// One JSON object per line; columns are its top-level keys.
    Jsonl,
    /// Parquet with any column names; values are read as text.
    Parquet,
}

impl InputFormat {
    /// The format of `path`: this one, or for `Auto` the extension's.
    pub fn resolve(self, path: &Path) -> Result<InputFormat, ImportError> {
        if self != InputFormat::Auto {
            return Ok(self);
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        Ok(match ext.as_str() {
            "csv" | "tsv" | "txt" => InputFormat::Csv,
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => InputFormat::Xlsx,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "parquet" => InputFormat::Parquet,
            _ => {
                return Err(ImportError::layout(
                    path,
                    None,
                    format!(
                        "unknown extension {ext:?}: set format = \"csv\" | \"xlsx\" | \"jsonl\" | \"parquet\" in the mapping"
                    ),
                ));
            }
        })
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Csv => "csv",
            InputFormat::Xlsx => "xlsx",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Parquet => "parquet",
        }
    }
}

/// Text encodings of CSV files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum TextEncoding {
    /// A byte-order mark decides; without one, UTF-8 if the first MiB is
    /// valid UTF-8, else GB18030 (a superset of GBK and GB2312). Bytes invalid
    /// in the chosen encoding anywhere in the file are an error.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// UTF-8 (a BOM is skipped).
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030, which also reads GBK and GB2312.
    #[serde(rename = "gb18030", alias = "gbk", alias = "gb2312")]
    Gb18030,
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn from_path(path: &Path) -> Result<Mapping, ImportError> {
        let text = std::fs::read_to_string(path).map_err(ImportError::io(path))?;
        Mapping::from_toml(&text, path)
    }

    /// Parses and checks a mapping; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Mapping, ImportError> {
        let mapping: Mapping =
            toml::from_str(text).map_err(|e| ImportError::MappingToml { path: origin.into(), source: Box::new(e) })?;
        mapping.check().map_err(|message| ImportError::Mapping { path: origin.into(), message })?;
        Ok(mapping)
    }

    /// The checks serde cannot express.
    fn check(&self) -> Result<(), String> {
        if self.platform.trim().is_empty() {
            return Err("platform is empty".into());
        }
        if !self.delimiter.is_ascii() {
            return Err(format!("delimiter {:?} is not one ASCII character", self.delimiter));
        }
        if !self.columns.contains_key(&Canonical::Title) {
            return Err("columns.title is required".into());
        }
        if let Some(t) = &self.posting_id {
            IdTemplate::new(t)?;
        }
        for (&column, spec) in &self.columns {
            let name = column.name();
            if spec.from.is_empty() {
                return Err(format!("columns.{name}.from is empty"));
            }
            if !self.header && spec.from.iter().any(|s| matches!(s, SourceRef::Name(_))) {
                return Err(format!("columns.{name}: header = false, so sources must be column positions"));
            }
            if spec.split.as_deref() == Some("") {
                return Err(format!("columns.{name}.split is empty"));
            }
            match (&spec.date_format, column) {
                (Some(f), Canonical::PostedAt) => {
                    let f = DateFormat::new(f).map_err(|e| format!("columns.{name}: {e}"))?;
                    if !f.has_year() && self.year.is_none() {
                        return Err(format!("columns.{name}.date_format has no %Y: set year"));
                    }
                }
                (Some(_), _) => return Err(format!("columns.{name}.date_format: only posted_at is a date")),
                (None, _) => {}
            }
        }
        Ok(())
    }

    /// The `posting_id` template in force for a file (see [`Mapping::posting_id`]).
    pub(crate) fn id_template(&self, workbook: bool) -> IdTemplate {
        let default = if workbook { "{platform}-{file_stem}-{sheet}-{row}" } else { "{platform}-{file_stem}-{row}" };
        IdTemplate::new(self.posting_id.as_deref().unwrap_or(default)).expect("checked when the mapping was read")
    }
}

/// A compiled `posting_id` template.
#[derive(Clone, Debug)]
pub(crate) struct IdTemplate {
    parts: Vec<IdPart>,
}

#[derive(Clone, Debug)]
enum IdPart {
    Lit(String),
    Platform,
    FileStem,
    Sheet,
    Row,
}

impl IdTemplate {
    fn new(template: &str) -> Result<IdTemplate, String> {
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or_else(|| format!("posting_id {template:?}: unclosed {{"))?;
                    parts.push(match &rest[1..end] {
                        "platform" => IdPart::Platform,
                        "file_stem" => IdPart::FileStem,
                        "sheet" => IdPart::Sheet,
                        "row" => IdPart::Row,
                        other => return Err(format!("posting_id {template:?}: unknown placeholder {{{other}}}")),
                    });
                    rest = &rest[end + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    parts.push(IdPart::Lit(rest[..end].to_owned()));
                    rest = &rest[end..];
                }
            }
        }
        if !parts.iter().any(|p| matches!(p, IdPart::Row)) {
            return Err(format!("posting_id {template:?}: needs {{row}} to be unique"));
        }
        Ok(IdTemplate { parts })
    }

    /// Writes the id of one row into `out` (cleared first).
    pub(crate) fn render(&self, out: &mut String, platform: &str, file_stem: &str, sheet: &str, row: u64) {
        use std::fmt::Write;
        out.clear();
        for p in &self.parts {
            match p {
                IdPart::Lit(s) => out.push_str(s),
                IdPart::Platform => out.push_str(platform),
                IdPart::FileStem => out.push_str(file_stem),
                IdPart::Sheet => out.push_str(sheet),
                IdPart::Row => {
                    let _ = write!(out, "{row}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posting_schema;

    /// The error with its causes, as the CLI prints it.
    fn parse(text: &str) -> Result<Mapping, String> {
        Mapping::from_toml(text, Path::new("m.toml")).map_err(|e| zhiye_core::causes(&e))
    }

    #[test]
    fn canonical_order_is_the_schema_order() {
        let schema = posting_schema();
        let names: Vec<_> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let ours: Vec<_> = Canonical::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names, ours);
        assert!(Canonical::ALL.iter().enumerate().all(|(i, c)| c.index() == i));
    }

    #[test]
    fn defaults_and_sources() {
        let m = parse(
            r#"
            platform = "x"
            [columns.title]
            from = ["职位", 3]
            [columns.posted_at]
            from = ["时间"]
            date_format = "%Y-%m-%d"
            "#,
        )
        .unwrap();
        assert_eq!((m.format, m.encoding, m.delimiter, m.header), (InputFormat::Auto, TextEncoding::Auto, ',', true));
        assert_eq!(m.columns[&Canonical::Title].from, vec![SourceRef::Name("职位".into()), SourceRef::Index(3)]);
        let mut id = String::new();
        m.id_template(true).render(&mut id, "x", "f", "S", 7);
        assert_eq!(id, "x-f-S-7");
        m.id_template(false).render(&mut id, "x", "f", "", 7);
        assert_eq!(id, "x-f-7");
    }

    #[test]
    fn errors_name_the_problem() {
        let cases = [
            ("platform = \"x\"\ncolumns = {}", "title is required"),
            ("platform = \"x\"\nbogus = 1\n[columns.title]\nfrom = [0]", "bogus"),
            ("platform = \"x\"\n[columns.titel]\nfrom = [0]", "titel"),
            ("platform = \"x\"\n[columns.title]\nfrom = [0]\nsplitt = \"-\"", "splitt"),
            ("platform = \"x\"\n[columns.title]\nfrom = []", "from is empty"),
            ("platform = \"x\"\nheader = false\n[columns.title]\nfrom = [\"a\"]", "column positions"),
            ("platform = \"x\"\nposting_id = \"{platform}\"\n[columns.title]\nfrom = [0]", "needs {row}"),
            ("platform = \"x\"\nposting_id = \"{rows}\"\n[columns.title]\nfrom = [0]", "unknown placeholder"),
            ("platform = \"x\"\n[columns.title]\nfrom = [0]\ndate_format = \"%Y-%m-%d\"", "only posted_at"),
            (
                "platform = \"x\"\n[columns.title]\nfrom = [0]\n[columns.posted_at]\nfrom = [1]\ndate_format = \"%m-%d\"",
                "set year",
            ),
            ("platform = \"x\"\nencoding = \"latin1\"\n[columns.title]\nfrom = [0]", "latin1"),
            ("platform = \"x\"\n[columns.title]\nfrom = [0]\naccept = \"salery\"", "salery"),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with("mapping m.toml") && err.contains(want), "{text:?} → {err}");
        }
    }

    #[test]
    fn the_shipped_mappings_load() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/mappings"));
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                Mapping::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
                n += 1;
            }
        }
        assert!(n >= 5, "{n} mappings");
    }
}
