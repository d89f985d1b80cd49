//! [`TitleCleaner`]: strips the noise job boards put around an occupation in a
//! title, and keeps what it removed for the evidence.

use std::ops::Range;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lexicon::{BENEFIT, LEVEL, RECRUIT_VERBS, RECRUITER_JOBS};
use crate::normalize::{is_alphanumeric, is_han, normalize_char, normalize_into};
use crate::{Result, TextError};

/// Why a piece of a title was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseKind {
    /// Text in brackets: `(双休)`, `【急招】`.
    Bracket,
    /// Company or recruiter before a recruiting verb: `某某公司招聘`.
    CompanyPrefix,
    /// A province, city or district name.
    City,
    /// Advertising, benefits, working time: `五险一金`, `双休`.
    Benefit,
    /// Seniority or employment type: `高级`, `实习`.
    Level,
    /// Salary, head-count or other figures: `8k-12k`, `2名`.
    Figure,
}

impl NoiseKind {
    /// Lower-case name for evidence strings.
    pub fn name(self) -> &'static str {
        match self {
            NoiseKind::Bracket => "bracket",
            NoiseKind::CompanyPrefix => "company",
            NoiseKind::City => "city",
            NoiseKind::Benefit => "benefit",
            NoiseKind::Level => "level",
            NoiseKind::Figure => "figure",
        }
    }
}

/// A cleaned title: the text the classifier reads and what was taken out.
/// Reused between titles: [`TitleCleaner::clean_into`] clears it.
#[derive(Clone, Debug, Default)]
pub struct CleanTitle {
    /// The cleaned text, pieces separated by single spaces.
    pub text: String,
    removed_text: String,
    removed: Vec<(NoiseKind, Range<usize>)>,
    // Scratch buffers, kept to avoid allocating per title.
    norm: String,
    stage: String,
}

impl CleanTitle {
    /// The removed pieces with their kind, in the order found.
    pub fn removed(&self) -> impl Iterator<Item = (NoiseKind, &str)> {
        self.removed.iter().map(|(k, r)| (*k, &self.removed_text[r.clone()]))
    }

    /// The separator-delimited pieces of the cleaned text.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|p| !p.is_empty())
    }

    fn remove(&mut self, kind: NoiseKind, piece: &str) {
        let start = self.removed_text.len();
        self.removed_text.push_str(piece);
        self.removed.push((kind, start..self.removed_text.len()));
    }
}

/// Removes brackets, company prefixes, city names, benefit phrases, level
/// words and figures from job titles.
///
/// Terms given as `protected` (occupation names and aliases) are never cut
/// into: the noise automaton also matches them, and the longest match wins.
#[derive(Clone, Debug)]
pub struct TitleCleaner {
    noise: AhoCorasick,
    kinds: Vec<Option<NoiseKind>>,
}

impl TitleCleaner {
    /// Builds a cleaner from city names, extra noise phrases (e.g. the
    /// taxonomy package's `stopwords.txt`) and the protected terms.
    pub fn new<'a>(
        cities: impl IntoIterator<Item = &'a str>,
        extra_noise: impl IntoIterator<Item = &'a str>,
        protected: impl IntoIterator<Item = &'a str>,
    ) -> Result<TitleCleaner> {
        let mut patterns: Vec<String> = Vec::new();
        let mut kinds = Vec::new();
        let mut add = |p: &str, kind: Option<NoiseKind>| {
            let mut n = String::new();
            normalize_into(p.trim(), &mut n);
            if !n.is_empty() {
                patterns.push(n);
                kinds.push(kind);
            }
        };
        // Protected terms first: on equal-length overlaps the earlier pattern wins.
        for p in protected {
            add(p, None);
        }
        for p in cities {
            add(p, Some(NoiseKind::City));
        }
        for p in LEVEL {
            add(p, Some(NoiseKind::Level));
        }
        for p in BENEFIT.iter().copied().chain(extra_noise) {
            add(p, Some(NoiseKind::Benefit));
        }
        let noise = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|source| TextError::Automaton { what: "title noise", source })?;
        Ok(TitleCleaner { noise, kinds })
    }

    /// Cleans `title` into `out`, reusing its buffers.
    pub fn clean_into(&self, title: &str, out: &mut CleanTitle) {
        out.text.clear();
        out.removed_text.clear();
        out.removed.clear();
        let mut norm = std::mem::take(&mut out.norm);
        let mut stage = std::mem::take(&mut out.stage);
        norm.clear();
        normalize_into(title, &mut norm);

        strip_brackets(&norm, &mut stage, out);
        cut_company_prefix(&mut stage, out);

        self.strip_noise(&stage, &mut norm, out);
        strip_figures(&norm, out);
        // Only noise outside the brackets (`管培生（数据分析）`): read the first bracket instead.
        if !out.text.chars().any(is_alphanumeric)
            && let Some((_, r)) = out.removed.iter().find(|(k, _)| *k == NoiseKind::Bracket)
        {
            stage.clear();
            stage.push_str(&out.removed_text[r.clone()]);
            self.strip_noise(&stage, &mut norm, out);
            out.text.clear();
            strip_figures(&norm, out);
        }
        out.norm = norm;
        out.stage = stage;
    }

    /// Noise phrases, cities and level words of `stage` go to the removed
    /// list; the rest, with separators as spaces, to `norm`.
    fn strip_noise(&self, stage: &str, norm: &mut String, out: &mut CleanTitle) {
        norm.clear();
        let mut last = 0;
        for m in self.noise.find_iter(stage) {
            let Some(kind) = self.kinds[m.pattern().as_usize()] else { continue };
            norm.push_str(&stage[last..m.start()]);
            norm.push(' ');
            out.remove(kind, &stage[m.range()]);
            last = m.end();
        }
        norm.push_str(&stage[last..]);
    }

    /// Cleans `title` into a new [`CleanTitle`].
    pub fn clean(&self, title: &str) -> CleanTitle {
        let mut out = CleanTitle::default();
        self.clean_into(title, &mut out);
        out
    }
}

/// Moves bracketed text (closed or not) to the removed list. If nothing but
/// brackets is left, the first bracket's text is kept instead.
fn strip_brackets(norm: &str, stage: &mut String, out: &mut CleanTitle) {
    stage.clear();
    let mut depth = 0usize;
    let mut open_at = 0;
    for (i, c) in norm.char_indices() {
        match c {
            '(' | '[' | '{' | '<' => {
                if depth == 0 {
                    open_at = i + 1;
                    stage.push(' ');
                }
                depth += 1;
            }
            ')' | ']' | '}' | '>' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.remove(NoiseKind::Bracket, &norm[open_at..i]);
                }
            }
            ')' | ']' | '}' | '>' => stage.push(' '),
            _ if depth == 0 => stage.push(c),
            _ => {}
        }
    }
    if depth > 0 {
        out.remove(NoiseKind::Bracket, &norm[open_at..]);
    }
    if !stage.chars().any(is_alphanumeric)
        && let Some((_, r)) = out.removed.iter().find(|(k, _)| *k == NoiseKind::Bracket)
    {
        stage.clear();
        stage.push_str(&out.removed_text[r.clone()]);
    }
}

/// `鸿图机械配件招聘车工` → `车工`; a title-initial verb goes too (`招聘电工` →
/// `电工`: the posting recruits an electrician), unless the rest is the
/// recruiter's own job (`招聘专员` stays).
fn cut_company_prefix(stage: &mut String, out: &mut CleanTitle) {
    for verb in RECRUIT_VERBS {
        let Some(at) = stage.find(verb) else { continue };
        let rest = &stage[at + verb.len()..];
        let prefix_chars = stage[..at].chars().filter(|&c| is_han(c)).count();
        let leading = prefix_chars == 0
            && verb.chars().count() >= 2
            && !RECRUITER_JOBS.iter().any(|j| rest.trim_start().starts_with(j));
        if (prefix_chars >= 2 || leading) && rest.chars().filter(|&c| is_alphanumeric(c)).count() >= 2 {
            let cut = at + verb.len();
            out.remove(NoiseKind::CompanyPrefix, &stage[..cut]);
            stage.replace_range(..cut, "");
        }
        return;
    }
}

/// Salary and head-count figures: a digit run with its units (`8k-12k`,
/// `6000元/月`, `2名`, `13薪`), while `3d` or `java8` stay.
fn strip_figures(text: &str, out: &mut CleanTitle) {
    const UNITS: &[char] =
        &['k', 'w', '千', '万', '元', '名', '人', '薪', '天', '月', '年', '+', '%', '/', '以', '上', '起'];
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut pending_space = false;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_ascii_digit() && (i == 0 || !chars[i - 1].1.is_ascii_alphabetic()) {
            let mut j = i;
            let mut has_unit = false;
            let mut digits = 0;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    digits += 1;
                } else if UNITS.contains(&d) {
                    has_unit = true;
                } else if !matches!(d, '.' | '-' | ',') {
                    break;
                }
                j += 1;
            }
            let end_ok = j == chars.len() || !chars[j].1.is_ascii_alphabetic();
            if end_ok && (has_unit || digits >= 3) {
                let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
                out.remove(NoiseKind::Figure, &text[at..end]);
                pending_space = true;
                i = j;
                continue;
            }
        }
        if c == ' ' || is_separator(c) {
            pending_space = true;
        } else {
            if pending_space && !out.text.is_empty() {
                out.text.push(' ');
            }
            pending_space = false;
            out.text.push(c);
        }
        i += 1;
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '/' | '|' | ',' | '-' | '_' | '&' | ':' | '.' | '!' | '?' | '*' | '"' | '\'' | '·' | '、' | '。' | '！' | '？'
    )
}

/// Reads city, province and district names from the taxonomy package's
/// `cncity.csv`: full names at every depth, short names of provinces and
/// cities, and short names of districts of three or more characters (shorter
/// ones are too often ordinary words). Names that occur in `keep` (taxonomy
/// text) are dropped, so that e.g. a district called 资源 never cuts 人力资源.
pub fn read_cities(path: &Path, keep: &str) -> Result<Vec<String>> {
    let file = std::fs::File::open(path).map_err(|source| TextError::Io { path: path.into(), source })?;
    let mut rdr = csv::Reader::from_reader(std::io::BufReader::new(file));
    let mut names = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|source| TextError::Csv { path: path.into(), row: i as u64 + 1, source })?;
        let (name, depth, short) = (rec.get(1).unwrap_or(""), rec.get(3).unwrap_or(""), rec.get(4).unwrap_or(""));
        let mut push = |s: &str| {
            let n: String = s.chars().map(normalize_char).collect();
            if n.chars().count() >= 2 && seen.insert(n.clone()) {
                names.push(n);
            }
        };
        push(name);
        if depth != "3" || short.chars().count() >= 3 {
            push(short);
        }
    }
    // Every name found in the taxonomy text, in one pass over it (a search
    // per name took a tenth of a second at every start).
    let ac = AhoCorasick::new(&names).map_err(|source| TextError::Automaton { what: "city names", source })?;
    let mut in_keep = vec![false; names.len()];
    for m in ac.find_overlapping_iter(keep) {
        in_keep[m.pattern().as_usize()] = true;
    }
    Ok(names.into_iter().zip(in_keep).filter(|(_, k)| !k).map(|(n, _)| n).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaner() -> TitleCleaner {
        TitleCleaner::new(["北京", "北京市", "深圳", "朝阳区"], ["高薪资"], ["实习指导教师", "销售代表"]).unwrap()
    }

    fn check(title: &str, text: &str, removed: &[(NoiseKind, &str)]) {
        let c = cleaner().clean(title);
        assert_eq!(c.text, text, "text of {title:?}");
        let got: Vec<_> = c.removed().collect();
        assert_eq!(got, removed, "removed of {title:?}");
    }

    #[test]
    fn cleans_board_titles() {
        use NoiseKind::*;
        check("【急招】北京销售代表（双休）", "销售代表", &[(Bracket, "急招"), (Bracket, "双休"), (City, "北京")]);
        check("高级Java开发工程师 15k-25k", "java开发工程师", &[(Level, "高级"), (Figure, "15k-25k")]);
        check("鸿图机械配件招聘车工", "车工", &[(CompanyPrefix, "鸿图机械配件招聘")]);
        check("招聘专员", "招聘专员", &[]);
        check("招聘电工", "电工", &[(CompanyPrefix, "招聘")]);
        check("招聘经理", "招聘经理", &[]);
        check("招聘与培训", "招聘与培训", &[]);
        check("实习指导教师", "实习指导教师", &[]);
        check("美容师/店长 包吃住", "美容师 店长", &[(Benefit, "包吃住")]);
        check("3D设计师", "3d设计师", &[]);
        check("普工 招2名 高薪资", "普工 招", &[(Benefit, "高薪资"), (Figure, "2名")]);
        check("（储备干部）", "干部", &[(Bracket, "储备干部"), (Level, "储备")]);
        check("管培生（数据分析）", "数据分析", &[(Bracket, "数据分析"), (Level, "管培生")]);
        check("实习生", "", &[(Level, "实习生")]);
        check("深圳 电工(持证", "电工", &[(Bracket, "持证"), (City, "深圳")]);
    }

    #[test]
    fn buffers_are_reused() {
        let c = cleaner();
        let mut out = CleanTitle::default();
        c.clean_into("北京 会计 五险一金", &mut out);
        c.clean_into("出纳", &mut out);
        assert_eq!(out.text, "出纳");
        assert_eq!(out.removed().count(), 0);
    }
}
