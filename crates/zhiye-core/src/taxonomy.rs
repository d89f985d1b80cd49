//! [`Taxonomy`]: the OCD 2022 tree loaded from `csco22.csv`, with the source's
//! flaws repaired and recorded as [`SourceIssue`]s.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use crate::{Error, Level, OcdCode, Result};

/// Class counts per level in the official dictionary (大类, 中类, 小类, 细类).
pub const OFFICIAL_COUNTS: [usize; 4] = [8, 79, 449, 1636];

/// Where a class comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A row of the source file.
    Source,
    /// Absent from the source, implied by a descendant's code.
    Implied,
}

/// One class of the tree, at any level.
#[derive(Clone, Debug)]
pub struct Class {
    /// The code.
    pub code: OcdCode,
    /// The name without the digital / green suffix.
    pub name: String,
    /// Digital occupation (name suffix `S`).
    pub digital: bool,
    /// Green occupation (name suffix `L`).
    pub green: bool,
    /// Definition text (empty for most groups).
    pub definition: String,
    /// Task list, split at the numbered items.
    pub tasks: Vec<String>,
    /// Job-board aliases, without the name itself, flags stripped, deduplicated.
    pub aliases: Vec<String>,
    /// Whether the class is a row of the source or implied by its children.
    pub origin: Origin,
    /// Whether postings are coded onto this class: every fine class, and every
    /// small class the dictionary does not subdivide (source rows coded `-00`).
    pub occupation: bool,
    /// Index of the parent class in [`Taxonomy::classes`].
    pub parent: Option<usize>,
    /// Indices of the child classes.
    pub children: Vec<usize>,
}

/// A flaw of the source file, and what the loader did about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceIssue {
    /// The same code on two rows; the first row is kept.
    DuplicateRow {
        /// The code.
        code: OcdCode,
        /// 1-based data rows.
        rows: [u64; 2],
        /// Whether the two rows are identical.
        identical: bool,
    },
    /// A level-4 row coded `-00`: an undivided small class used as an occupation.
    UndividedSmall {
        /// The code.
        code: OcdCode,
        /// Whether the source also has it as a level-3 row.
        also_small_row: bool,
    },
    /// A class the source lacks although descendants name it: added as [`Origin::Implied`].
    MissingParent {
        /// The missing code.
        code: OcdCode,
        /// The first descendant that implies it.
        implied_by: OcdCode,
    },
    /// A class with no descendant and no definition (e.g. 7 军队人员): a gap in the source.
    EmptyGroup {
        /// The code.
        code: OcdCode,
    },
    /// A medium class without the `99` "其他…" small class that the dictionary
    /// gives most medium classes.
    NoOtherClass {
        /// The medium class.
        medium: OcdCode,
    },
}

impl std::fmt::Display for SourceIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceIssue::DuplicateRow { code, rows, identical } => {
                let how = if *identical { "identical" } else { "differing" };
                write!(f, "duplicate rows {} and {} for {code} ({how}); kept the first", rows[0], rows[1])
            }
            SourceIssue::UndividedSmall { code, also_small_row } => {
                let extra = if *also_small_row { ", also a level-3 row" } else { "" };
                write!(f, "{code} is an undivided small class coded as an occupation{extra}")
            }
            SourceIssue::MissingParent { code, implied_by } => {
                write!(f, "{} class {code} missing from the source, implied by {implied_by}; added", code.level())
            }
            SourceIssue::EmptyGroup { code } => {
                write!(f, "{} class {code} has no subclasses in the source", code.level())
            }
            SourceIssue::NoOtherClass { medium } => {
                write!(f, "medium class {medium} has no 99 \"其他\" small class in the source")
            }
        }
    }
}

/// The OCD 2022 tree: classes at every level, indexed by code.
#[derive(Clone, Debug)]
pub struct Taxonomy {
    classes: Vec<Class>,
    by_code: HashMap<OcdCode, usize>,
    occupations: Vec<usize>,
    issues: Vec<SourceIssue>,
}

struct Row {
    line: u64,
    level: u8,
    code: OcdCode,
    name: String,
    definition: String,
    tasks: String,
    alias: String,
}

impl Taxonomy {
    /// Loads `csco22.csv` (columns `level, code, name, definition, tasks, alias`).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Taxonomy> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::NoTaxonomy { path: path.into() },
            _ => Error::Io { path: path.into(), source },
        })?;
        Taxonomy::from_reader(file, path)
    }

    /// Loads the taxonomy from CSV text; `path` is used in error messages only.
    pub fn from_reader(reader: impl Read, path: &Path) -> Result<Taxonomy> {
        let rows = read_rows(reader, path)?;
        Ok(build(rows))
    }

    /// A taxonomy with no classes.
    pub fn empty() -> Taxonomy {
        build(Vec::new())
    }

    /// All classes, in code order.
    pub fn classes(&self) -> &[Class] {
        &self.classes
    }

    /// The class with this code.
    pub fn get(&self, code: OcdCode) -> Option<&Class> {
        self.index_of(code).map(|i| &self.classes[i])
    }

    /// Index of the class with this code in [`Taxonomy::classes`].
    pub fn index_of(&self, code: OcdCode) -> Option<usize> {
        self.by_code.get(&code).copied()
    }

    /// The classes postings are coded onto (fine classes and undivided small
    /// classes), as indices into [`Taxonomy::classes`], in code order.
    pub fn occupations(&self) -> &[usize] {
        &self.occupations
    }

    /// The source's flaws found while loading.
    pub fn issues(&self) -> &[SourceIssue] {
        &self.issues
    }

    /// Counts per level, large first; the fine count is the number of occupations.
    pub fn counts(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for c in &self.classes {
            if c.code.level() != Level::Fine {
                n[c.code.level().depth() - 1] += 1;
            }
        }
        n[3] = self.occupations.len();
        n
    }

    /// The ancestors of a class, nearest first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = &Class> {
        std::iter::successors(self.classes[index].parent, |&i| self.classes[i].parent).map(|i| &self.classes[i])
    }

    /// Classes whose name or an alias contains `text` (case-insensitive for
    /// Latin letters), with the matching string; names first, then aliases.
    pub fn search(&self, text: &str) -> Vec<(&Class, &str)> {
        let needle = text.trim().to_lowercase();
        let mut by_name = Vec::new();
        let mut by_alias = Vec::new();
        if needle.is_empty() {
            return by_name;
        }
        for c in &self.classes {
            if c.name.to_lowercase().contains(&needle) {
                by_name.push((c, c.name.as_str()));
            } else if let Some(a) = c.aliases.iter().find(|a| a.to_lowercase().contains(&needle)) {
                by_alias.push((c, a.as_str()));
            }
        }
        by_name.extend(by_alias);
        by_name
    }
}

fn read_rows(reader: impl Read, path: &Path) -> Result<Vec<Row>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let csv_err = |row, source| Error::Csv { path: path.into(), row, source };
    let headers = rdr.headers().map_err(|e| csv_err(0, e))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| Error::MissingColumn { path: path.into(), column: name.into() })
    };
    let [level, code, name, definition, tasks, alias] =
        ["level", "code", "name", "definition", "tasks", "alias"].map(col);
    let (level, code, name, definition, tasks, alias) = (level?, code?, name?, definition?, tasks?, alias?);
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 1;
        let rec = rec.map_err(|e| csv_err(line, e))?;
        let field =
            |field: &'static str, message: String| Error::Field { path: path.into(), row: line, field, message };
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let lv: u8 = get(level).parse().map_err(|_| field("level", format!("{:?} is not 1-4", get(level))))?;
        if !(1..=4).contains(&lv) {
            return Err(field("level", format!("{lv} is not 1-4")));
        }
        let parsed: OcdCode =
            get(code).parse().map_err(|e: Error| Error::Code { path: path.into(), row: line, source: Box::new(e) })?;
        // A level-4 row may be coded -00: an undivided small class. Otherwise
        // the row's level decides (`1-01-00` is a small class with a 00 part).
        let level = match (lv, parsed.level()) {
            (4, Level::Small) => Level::Small,
            _ => Level::from_depth(lv.into()).expect("checked 1-4"),
        };
        let cd = OcdCode::new(parsed.parts(), level)
            .ok_or_else(|| field("code", format!("{parsed} is not a level-{lv} code")))?;
        rows.push(Row {
            line,
            level: lv,
            code: cd,
            name: get(name),
            definition: get(definition),
            tasks: get(tasks),
            alias: get(alias),
        });
    }
    Ok(rows)
}

/// Strips the digital (`S`) / green (`L`) suffixes: `全媒体运营师S`, `…L/S`.
pub fn split_flags(name: &str) -> (&str, bool, bool) {
    let mut s = name.trim_end();
    let (mut digital, mut green) = (false, false);
    loop {
        if let Some(r) = s.strip_suffix("S").or_else(|| s.strip_suffix('Ｓ')) {
            digital = true;
            s = r;
        } else if let Some(r) = s.strip_suffix("L").or_else(|| s.strip_suffix('Ｌ')) {
            green = true;
            s = r;
        } else if let Some(r) = s.strip_suffix('/').filter(|_| digital || green) {
            s = r;
        } else {
            break;
        }
    }
    // Only a Chinese name carries flags: leave Latin names such as "CTO" alone.
    if s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return (name.trim_end(), false, false);
    }
    (s, digital, green)
}

/// Splits `1.研究… 2.编制…` into its items.
fn split_tasks(tasks: &str) -> Vec<String> {
    let bytes = tasks.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at_boundary = i == 0 || bytes[i - 1] == b' ';
        if at_boundary && bytes[i].is_ascii_digit() {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'.' {
                starts.push((i, j + 1));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    if starts.is_empty() {
        return if tasks.trim().is_empty() { Vec::new() } else { vec![tasks.trim().to_string()] };
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &(_, body)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(tasks.len(), |&(s, _)| s);
        let item = tasks[body..end].trim();
        if !item.is_empty() {
            out.push(item.to_string());
        }
    }
    out
}

fn build(rows: Vec<Row>) -> Taxonomy {
    let mut issues = Vec::new();
    let mut kept: BTreeMap<OcdCode, Class> = BTreeMap::new();
    let mut first_row: HashMap<(OcdCode, u8), (u64, usize)> = HashMap::new();
    let mut small_rows = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(&(line, j)) = first_row.get(&(row.code, row.level)) {
            let other = &rows[j];
            let identical = (&other.name, &other.definition, &other.tasks, &other.alias)
                == (&row.name, &row.definition, &row.tasks, &row.alias);
            issues.push(SourceIssue::DuplicateRow { code: row.code, rows: [line, row.line], identical });
            continue;
        }
        first_row.insert((row.code, row.level), (row.line, i));
        if row.level == 3 {
            small_rows.insert(row.code);
        }
        let (name, digital, green) = split_flags(&row.name);
        let mut aliases: Vec<String> = Vec::new();
        for a in row.alias.split([',', '，']) {
            let a = split_flags(a.trim()).0;
            if !a.is_empty() && a != name && !aliases.iter().any(|x| x == a) {
                aliases.push(a.to_string());
            }
        }
        let class = Class {
            code: row.code,
            name: name.to_string(),
            digital,
            green,
            definition: row.definition.clone(),
            tasks: split_tasks(&row.tasks),
            aliases,
            origin: Origin::Source,
            occupation: row.level == 4,
            parent: None,
            children: Vec::new(),
        };
        match kept.get_mut(&row.code) {
            // A level-3 and a level-4 row for the same -00 code: one class, the richer text wins.
            Some(existing) => {
                existing.occupation |= class.occupation;
                if existing.definition.is_empty() {
                    existing.definition = class.definition;
                    existing.tasks = class.tasks;
                }
                for a in class.aliases {
                    if !existing.aliases.contains(&a) {
                        existing.aliases.push(a);
                    }
                }
            }
            None => {
                kept.insert(row.code, class);
            }
        }
    }
    for row in rows.iter().filter(|r| r.level == 4 && r.code.level() == Level::Small) {
        let issue = SourceIssue::UndividedSmall { code: row.code, also_small_row: small_rows.contains(&row.code) };
        if !issues.contains(&issue) {
            issues.push(issue);
        }
    }
    // Classes implied by descendants but absent from the source.
    let codes: Vec<OcdCode> = kept.keys().copied().collect();
    for code in codes {
        let mut child = code;
        while let Some(parent) = child.parent() {
            if !kept.contains_key(&parent) {
                issues.push(SourceIssue::MissingParent { code: parent, implied_by: code });
                // A small class coded 00 is its medium class undivided: it takes the medium's name.
                let name = match parent.parts() {
                    [l, m, 0, 0] if parent.level() == Level::Small => OcdCode::new([l, m, 0, 0], Level::Medium)
                        .and_then(|med| kept.get(&med))
                        .map(|med| med.name.clone())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                kept.insert(parent, Class { name, ..implied_class(parent) });
            }
            child = parent;
        }
    }
    let mut classes: Vec<Class> = kept.into_values().collect();
    let by_code: HashMap<OcdCode, usize> = classes.iter().enumerate().map(|(i, c)| (c.code, i)).collect();
    for i in 0..classes.len() {
        if let Some(p) = classes[i].code.parent() {
            let pi = by_code[&p];
            classes[i].parent = Some(pi);
            classes[pi].children.push(i);
        }
    }
    for c in &classes {
        if c.children.is_empty() && !c.occupation {
            issues.push(SourceIssue::EmptyGroup { code: c.code });
        }
        if c.code.level() == Level::Medium && !c.children.is_empty() {
            let [l, m, ..] = c.code.parts();
            let other = OcdCode::new([l, m, 99, 0], Level::Small).expect("valid code");
            if !by_code.contains_key(&other) {
                issues.push(SourceIssue::NoOtherClass { medium: c.code });
            }
        }
    }
    let occupations = (0..classes.len()).filter(|&i| classes[i].occupation).collect();
    Taxonomy { classes, by_code, occupations, issues }
}

fn implied_class(code: OcdCode) -> Class {
    Class {
        code,
        name: String::new(),
        digital: false,
        green: false,
        definition: String::new(),
        tasks: Vec::new(),
        aliases: Vec::new(),
        origin: Origin::Implied,
        occupation: false,
        parent: None,
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "level,code,code_num,name,definition,tasks,csco_code_num,alias
1,2-00-00-00,2000000,专业技术人员,,,2000000,专业技术人员
2,2-02-00-00,2020000,工程技术人员,,,2020000,工程技术人员
4,2-02-07-07,2020707,自动控制工程技术人员S,从事自动化。,1.设计 2.测试 10.推广。,2020707,\"自动化,PLC工程师,自动控制工程技术人员S\"
4,2-02-07-07,2020707,自动控制工程技术人员S,从事自动化。,1.设计 2.测试 10.推广。,2020707,\"自动化,PLC工程师,自动控制工程技术人员S\"
3,2-03-01-00,2030100,土壤肥料技术人员,,,2030100,土壤肥料技术人员
4,2-03-01-00,2030100,土壤肥料技术人员,从事土壤。,,2030100,土壤肥料技术人员
1,7-00-00-00,7000000,军队人员,,,7000000,军队人员
";

    fn tax() -> Taxonomy {
        Taxonomy::from_reader(CSV.as_bytes(), Path::new("t.csv")).unwrap()
    }

    #[test]
    fn repairs_and_reports_flaws() {
        let t = tax();
        let code = |s: &str| s.parse::<OcdCode>().unwrap();
        let auto = t.get(code("2-02-07-07")).unwrap();
        assert!(auto.digital && !auto.green);
        assert_eq!(auto.name, "自动控制工程技术人员");
        assert_eq!(auto.aliases, ["自动化", "PLC工程师"]);
        assert_eq!(auto.tasks, ["设计", "测试", "推广。"]);
        // The missing small class 2-02-07 and medium 2-03 are implied.
        assert_eq!(t.get(code("2-02-07-00")).unwrap().origin, Origin::Implied);
        assert_eq!(t.get(code("2-03-00-00")).unwrap().origin, Origin::Implied);
        let soil = t.get(code("2-03-01-00")).unwrap();
        assert!(soil.occupation && soil.definition == "从事土壤。");
        assert_eq!(t.counts(), [2, 2, 2, 2]);
        let issues = t.issues();
        assert!(issues.contains(&SourceIssue::DuplicateRow {
            code: code("2-02-07-07"),
            rows: [3, 4],
            identical: true
        }));
        assert!(issues.contains(&SourceIssue::UndividedSmall { code: code("2-03-01-00"), also_small_row: true }));
        assert!(issues.contains(&SourceIssue::EmptyGroup { code: code("7-00-00-00") }));
        assert!(issues.contains(&SourceIssue::NoOtherClass { medium: code("2-02-00-00") }));
        let anc: Vec<_> = t.ancestors(t.index_of(code("2-02-07-07")).unwrap()).map(|c| c.code.to_string()).collect();
        assert_eq!(anc, ["2-02-07-00", "2-02-00-00", "2-00-00-00"]);
    }

    #[test]
    fn flags() {
        assert_eq!(split_flags("全媒体运营师S"), ("全媒体运营师", true, false));
        assert_eq!(split_flags("碳排放管理员L/S"), ("碳排放管理员", true, true));
        assert_eq!(split_flags("CTO"), ("CTO", false, false));
    }

    #[test]
    fn bad_rows_name_row_and_field() {
        let bad = "level,code,code_num,name,definition,tasks,csco_code_num,alias\n4,2-0X-07-07,1,n,,,1,n\n";
        let err = Taxonomy::from_reader(bad.as_bytes(), Path::new("t.csv")).unwrap_err().to_string();
        assert!(err.contains("row 1") && err.contains("field code"), "{err}");
        // The cause follows, as the CLI prints it.
        let err = crate::causes(&Taxonomy::from_reader(bad.as_bytes(), Path::new("t.csv")).unwrap_err());
        assert_eq!(err, "t.csv: row 1, field code: not an OCD code: \"2-0X-07-07\" (expected e.g. 2-02-07-04)");
    }

    #[test]
    fn search_names_then_aliases() {
        let t = tax();
        let hits: Vec<_> = t.search("plc").iter().map(|(c, s)| (c.code.to_string(), s.to_string())).collect();
        assert_eq!(hits, [("2-02-07-07".to_string(), "PLC工程师".to_string())]);
    }
}
