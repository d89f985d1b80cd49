//! [`RuleSet`]: hand-written rules and synonyms from `config/rules.toml`.
//!
//! A rule maps a title to a code by exact title, keyword or regular
//! expression. A rule whose code is an occupation decides the posting; a rule
//! whose code is a group (e.g. `2-08`, teachers) restricts the candidates to
//! that group and lets the scores choose within it. Synonyms add the words
//! the taxonomy uses to a title that uses the board's (`老师` → `教师`).

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{RegexSet, RegexSetBuilder};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use zhiye_core::{OcdCode, Taxonomy};

use crate::normalize::{key_into, normalize};
use crate::{Result, TextError};

/// Cache of the rules' lazy DFA, per thread. Titles are short but varied,
/// and the default 2 MiB filled and was rebuilt over and over: building
/// states was about 6% of reading a new title.
const RULE_DFA_BYTES: usize = 16 << 20;

/// The rules file as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Rules, in any order (priority decides).
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    /// Synonyms.
    #[serde(default)]
    pub synonym: Vec<SynonymSpec>,
}

/// One `[[rule]]`: exactly one of `title`, `keyword`, `regex`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Name shown in the evidence and counted in run summaries. Default `rule-N`.
    #[serde(default)]
    pub name: Option<String>,
    /// Cleaned titles that match exactly (compared without separators).
    #[serde(default)]
    pub title: Vec<String>,
    /// Words that match anywhere in the cleaned title.
    #[serde(default)]
    pub keyword: Vec<String>,
    /// A regular expression over the cleaned title.
    #[serde(default)]
    pub regex: Option<String>,
    /// The code: an occupation decides, a group restricts.
    pub code: String,
    /// Higher wins when several rules match. Default 0.
    #[serde(default)]
    pub priority: i32,
    /// Why the rule exists.
    #[serde(default)]
    pub comment: String,
}

/// One `[[synonym]]`: board words `from` and the taxonomy's word `to`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymSpec {
    /// Words as boards write them.
    pub from: Vec<String>,
    /// The word the taxonomy uses.
    pub to: String,
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Its name.
    pub name: String,
    /// Its code.
    pub code: OcdCode,
    /// Whether the code is an occupation (decides) or a group (restricts).
    pub decides: bool,
    /// Priority.
    pub priority: i32,
}

/// Match kind of a rule's exact title, above regex (1) and keyword (0).
const EXACT: u8 = 2;

/// Compiled rules and synonyms.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    exact: FxHashMap<String, Vec<u32>>,
    keywords: Option<AhoCorasick>,
    keyword_rule: Vec<u32>,
    regexes: Option<RegexSet>,
    regex_rule: Vec<u32>,
    synonyms: Option<AhoCorasick>,
    synonym_to: Vec<String>,
}

impl RuleSet {
    /// No rules, no synonyms.
    pub fn empty() -> RuleSet {
        RuleSet::compile(&RulesFile::default(), &Taxonomy::empty(), Path::new("<none>")).expect("empty rules compile")
    }

    /// Reads and compiles a rules file against `taxonomy`.
    pub fn from_path(path: &Path, taxonomy: &Taxonomy) -> Result<RuleSet> {
        let text = std::fs::read_to_string(path).map_err(|source| TextError::Io { path: path.into(), source })?;
        RuleSet::from_toml(&text, path, taxonomy)
    }

    /// Compiles rules from TOML text; `path` names it in errors.
    pub fn from_toml(text: &str, path: &Path, taxonomy: &Taxonomy) -> Result<RuleSet> {
        let file: RulesFile = toml::from_str(text).map_err(|source| TextError::Toml { path: path.into(), source })?;
        RuleSet::compile(&file, taxonomy, path)
    }

    fn compile(file: &RulesFile, taxonomy: &Taxonomy, path: &Path) -> Result<RuleSet> {
        let bad = |i: usize, message: String| TextError::Read {
            path: path.into(),
            message: format!("rule {}: {message}", i + 1),
        };
        let mut rules = Vec::new();
        let mut exact: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let (mut kw_patterns, mut keyword_rule) = (Vec::new(), Vec::new());
        let (mut rx_patterns, mut regex_rule) = (Vec::new(), Vec::new());
        let mut key = String::new();
        for (i, spec) in file.rule.iter().enumerate() {
            let kinds = usize::from(!spec.title.is_empty())
                + usize::from(!spec.keyword.is_empty())
                + usize::from(spec.regex.is_some());
            if kinds != 1 {
                return Err(bad(i, "needs exactly one of title, keyword, regex".into()));
            }
            let code: OcdCode = spec.code.parse().map_err(|e| TextError::RuleCode {
                path: path.into(),
                rule: i + 1,
                source: Box::new(e),
            })?;
            let class = taxonomy.get(code).ok_or_else(|| bad(i, format!("{code} is not in the taxonomy")))?;
            if !class.occupation && class.children.is_empty() {
                // A residual class such as 2-08-99-00 其他教学人员 has no
                // occupation to decide nor any to restrict to.
                return Err(bad(i, format!("{code} has no occupations: use its parent group")));
            }
            let id = rules.len() as u32;
            rules.push(Rule {
                name: spec.name.clone().unwrap_or_else(|| format!("rule-{}", i + 1)),
                code,
                decides: class.occupation,
                priority: spec.priority,
            });
            for t in &spec.title {
                key_into(t, &mut key);
                exact.entry(key.clone()).or_default().push(id);
            }
            for k in &spec.keyword {
                kw_patterns.push(normalize(k));
                keyword_rule.push(id);
            }
            if let Some(r) = &spec.regex {
                rx_patterns.push(r.clone());
                regex_rule.push(id);
            }
        }
        let ac = |patterns: &[String]| -> Result<Option<AhoCorasick>> {
            if patterns.is_empty() {
                return Ok(None);
            }
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .map(Some)
                .map_err(|source| TextError::Automaton { what: "rule keyword", source })
        };
        let keywords = ac(&kw_patterns)?;
        let regexes = if rx_patterns.is_empty() {
            None
        } else {
            let set = RegexSetBuilder::new(&rx_patterns).dfa_size_limit(RULE_DFA_BYTES).build();
            Some(set.map_err(|source| TextError::Regex { path: path.into(), source })?)
        };
        let (mut from, mut synonym_to) = (Vec::new(), Vec::new());
        for s in &file.synonym {
            for f in &s.from {
                from.push(normalize(f));
                synonym_to.push(normalize(&s.to));
            }
        }
        let synonyms = ac(&from)?;
        Ok(RuleSet { rules, exact, keywords, keyword_rule, regexes, regex_rule, synonyms, synonym_to })
    }

    /// The compiled rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The best rule matching a cleaned title (`key` is its separator-free
    /// form): highest priority first, then exact over regex over keyword,
    /// then file order.
    pub fn best_match(&self, text: &str, key: &str) -> Option<u32> {
        self.best_of(text, key).map(|b| b.2.0)
    }

    /// As [`best_match`](Self::best_match), with the brackets that qualify
    /// the title (`python工程师（爬虫）`): a keyword or regex rule in a bracket
    /// wins if its priority is above the title's best rule, so a field named
    /// in the bracket outranks the title's language, as the priorities say.
    /// A title that is itself a rule's exact title keeps that rule
    /// (`销售顾问（网络安全）` sells).
    pub fn best_match_qualified<'a>(
        &self,
        text: &str,
        key: &str,
        brackets: impl Iterator<Item = &'a str>,
    ) -> Option<u32> {
        let mut best = self.best_of(text, key);
        if best.is_none_or(|b| b.1 != EXACT) {
            for b in brackets {
                if let Some(c) = self.best_of(b, "")
                    && best.is_none_or(|t| c.0 > t.0)
                {
                    best = Some(c);
                }
            }
        }
        best.map(|b| b.2.0)
    }

    /// Whether `key` (separator-free) is one of the rules' exact titles.
    pub fn is_title(&self, key: &str) -> bool {
        self.exact.contains_key(key)
    }

    fn best_of(&self, text: &str, key: &str) -> Option<(i32, u8, std::cmp::Reverse<u32>)> {
        let mut best: Option<(i32, u8, std::cmp::Reverse<u32>)> = None;
        let mut consider = |id: u32, kind: u8| {
            let cand = (self.rules[id as usize].priority, kind, std::cmp::Reverse(id));
            if best.is_none_or(|b| cand > b) {
                best = Some(cand);
            }
        };
        if let Some(ids) = self.exact.get(key) {
            for &id in ids {
                consider(id, EXACT);
            }
        }
        if let Some(rx) = &self.regexes {
            for i in rx.matches(text).iter() {
                consider(self.regex_rule[i], 1);
            }
        }
        if let Some(ac) = &self.keywords {
            for m in ac.find_iter(text) {
                consider(self.keyword_rule[m.pattern().as_usize()], 0);
            }
        }
        best
    }

    /// Appends the taxonomy's words for the board words found in `text`,
    /// separated by spaces (a title is short: no allocation beyond `out`).
    pub fn expand_synonyms(&self, text: &str, out: &mut String) {
        if let Some(ac) = &self.synonyms {
            for m in ac.find_iter(text) {
                out.push(' ');
                out.push_str(&self.synonym_to[m.pattern().as_usize()]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAX_WITH_RESIDUAL: &str = "level,code,code_num,name,definition,tasks,csco_code_num,alias
1,2-00-00-00,2000000,专业技术人员,,,2000000,专业技术人员
2,2-08-00-00,2080000,教学人员,,,2080000,教学人员
4,2-08-03-00,2080300,幼儿园教师,从事幼儿教育。,,2080300,幼儿园教师
3,2-08-99-00,2089900,其他教学人员,,,2089900,其他教学人员
";

    const TAX: &str = "level,code,code_num,name,definition,tasks,csco_code_num,alias
1,2-00-00-00,2000000,专业技术人员,,,2000000,专业技术人员
2,2-08-00-00,2080000,教学人员,,,2080000,教学人员
3,2-08-02-00,2080200,中小学教师,,,2080200,中小学教师
4,2-08-02-01,2080201,高级中学教师,从事高中教学。,,2080201,高级中学教师
4,2-08-02-04,2080204,小学教师,从事小学教学。,,2080204,小学教师
";

    fn tax() -> Taxonomy {
        Taxonomy::from_reader(TAX.as_bytes(), Path::new("t.csv")).unwrap()
    }

    #[test]
    fn a_class_without_occupations_is_refused() {
        let tax = Taxonomy::from_reader(TAX_WITH_RESIDUAL.as_bytes(), Path::new("t.csv")).unwrap();
        let rules = "[[rule]]\nkeyword = [\"辅导老师\"]\ncode = \"2-08-99-00\"\n";
        let err = RuleSet::from_toml(rules, Path::new("r.toml"), &tax).unwrap_err().to_string();
        assert!(err.contains("rule 1") && err.contains("2-08-99-00 has no occupations"), "{err}");
    }

    #[test]
    fn priority_then_kind_then_order() {
        let rules = r#"
[[rule]]
name = "teacher"
keyword = ["老师"]
code = "2-08"
[[rule]]
name = "primary"
regex = "小学.*老师"
code = "2-08-02-04"
[[rule]]
name = "exact-low"
title = ["高中老师"]
code = "2-08-02-01"
priority = -1
[[synonym]]
from = ["老师", "讲师"]
to = "教师"
"#;
        let set = RuleSet::from_toml(rules, Path::new("r.toml"), &tax()).unwrap();
        let name = |t: &str| set.best_match(t, &t.replace(' ', "")).map(|i| set.rules()[i as usize].name.clone());
        assert_eq!(name("小学数学老师").as_deref(), Some("primary"));
        assert_eq!(name("美术老师").as_deref(), Some("teacher"));
        // The exact rule has a lower priority than the keyword rule.
        assert_eq!(name("高中老师").as_deref(), Some("teacher"));
        assert_eq!(name("会计"), None);
        assert!(!set.rules()[0].decides && set.rules()[1].decides);
        let mut out = String::from("美术老师");
        set.expand_synonyms("美术老师", &mut out);
        assert_eq!(out, "美术老师 教师");
    }

    #[test]
    fn a_bracket_adds_a_rule_of_higher_priority_only() {
        let rules = r#"
[[rule]]
name = "teacher"
keyword = ["老师"]
code = "2-08"
[[rule]]
name = "primary"
keyword = ["小学"]
code = "2-08-02-04"
priority = 1
[[rule]]
name = "exact"
title = ["代课老师"]
code = "2-08-02-01"
"#;
        let set = RuleSet::from_toml(rules, Path::new("r.toml"), &tax()).unwrap();
        let name = |t: &str, b: &[&str]| {
            set.best_match_qualified(t, &t.replace(' ', ""), b.iter().copied())
                .map(|i| set.rules()[i as usize].name.clone())
        };
        assert_eq!(name("数学老师", &["小学"]).as_deref(), Some("primary"));
        assert_eq!(name("数学老师", &["上海"]).as_deref(), Some("teacher"));
        assert_eq!(name("数学老师", &["上海", "小学部"]).as_deref(), Some("primary"));
        assert_eq!(name("教务", &["小学"]).as_deref(), Some("primary"));
        // Same priority: the title keeps its own rule; an exact title keeps it always.
        assert_eq!(name("小学教务", &["老师"]).as_deref(), Some("primary"));
        assert_eq!(name("代课老师", &["小学"]).as_deref(), Some("exact"));
        assert_eq!(name("代课", &[]), None);
    }

    #[test]
    fn bad_rules_name_the_rule() {
        let t = tax();
        for (text, want) in [
            ("[[rule]]\ncode = \"2-08\"\n", "exactly one"),
            ("[[rule]]\nkeyword = [\"x\"]\ncode = \"9-99\"\n", "not in the taxonomy"),
            ("[[rule]]\nregex = \"(\"\ncode = \"2-08\"\n", "regex"),
            ("[[rule]]\nkeyword = [\"x\"]\ncode = \"2-08\"\nwat = 1\n", "wat"),
            ("[[rule]]\nkeyword = [\"x\"]\ncode = \"2-0X\"\n", "rule 1: code: not an ocd code: \"2-0x\""),
        ] {
            // The message with its causes, as the CLI prints it.
            let err = zhiye_core::causes(&RuleSet::from_toml(text, Path::new("r.toml"), &t).unwrap_err());
            assert!(err.starts_with("r.toml") && err.to_lowercase().contains(want), "{err}");
        }
    }
}
