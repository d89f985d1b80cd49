//! [`TermMatcher`]: exact lookup and Aho-Corasick (leftmost-longest) matching
//! of occupation names and aliases.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;
use zhiye_core::{OcdCode, Taxonomy};

use crate::normalize::key_into;
use crate::{Result, TextError};

/// Which part of the taxonomy a matched term comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TermSource {
    /// The occupation's name.
    Name,
    /// One of its aliases.
    Alias,
    /// A `/`-separated part of an alias (`临床医学经理/专员` → `临床医学经理`).
    AliasPart,
}

impl TermSource {
    /// Lower-case name for evidence strings.
    pub fn name(self) -> &'static str {
        match self {
            TermSource::Name => "name",
            TermSource::Alias => "alias",
            TermSource::AliasPart => "alias-part",
        }
    }
}

/// An occupation (document number) that owns a term, and how.
pub type Owner = (u32, TermSource);

/// Names and aliases of every occupation, by key (see [`key_into`]).
#[derive(Debug)]
pub struct TermMatcher {
    exact: FxHashMap<Box<str>, u32>,
    /// Names and aliases of groups (large, medium, small classes that are not
    /// occupations), by key; a key shared by several groups keeps the deepest.
    groups: FxHashMap<Box<str>, OcdCode>,
    owners: Vec<Vec<Owner>>,
    patterns: Vec<Box<str>>,
    ac: AhoCorasick,
}

/// Minimum characters of an alias part to count as a term of its own.
const MIN_PART_CHARS: usize = 3;

impl TermMatcher {
    /// Collects the terms of every occupation of `taxonomy`.
    pub fn build(taxonomy: &Taxonomy) -> Result<TermMatcher> {
        let mut exact: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut patterns: Vec<Box<str>> = Vec::new();
        let mut key = String::new();
        let mut add = |term: &str, owner: Owner, key: &mut String| {
            key_into(term, key);
            if key.chars().count() < 2 {
                return;
            }
            let id = *exact.entry(key.as_str().into()).or_insert_with(|| {
                owners.push(Vec::new());
                patterns.push(key.as_str().into());
                owners.len() as u32 - 1
            });
            let list = &mut owners[id as usize];
            match list.iter_mut().find(|(d, _)| *d == owner.0) {
                Some(o) => o.1 = o.1.min(owner.1),
                None => list.push(owner),
            }
        };
        for (d, &ci) in taxonomy.occupations().iter().enumerate() {
            let c = &taxonomy.classes()[ci];
            let d = d as u32;
            add(&c.name, (d, TermSource::Name), &mut key);
            for a in &c.aliases {
                add(a, (d, TermSource::Alias), &mut key);
                if a.contains('/') {
                    for part in a.split('/').filter(|p| p.chars().count() >= MIN_PART_CHARS) {
                        add(part, (d, TermSource::AliasPart), &mut key);
                    }
                }
            }
        }
        let mut groups: FxHashMap<Box<str>, OcdCode> = FxHashMap::default();
        for c in taxonomy.classes().iter().filter(|c| !c.occupation && !c.name.is_empty()) {
            for term in std::iter::once(&c.name).chain(&c.aliases) {
                key_into(term, &mut key);
                if key.chars().count() >= 2 && !exact.contains_key(key.as_str()) {
                    let e = groups.entry(key.as_str().into()).or_insert(c.code);
                    if c.code.level() > e.level() {
                        *e = c.code;
                    }
                }
            }
        }
        for list in &mut owners {
            list.sort_unstable_by_key(|&(d, s)| (s, d));
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.as_bytes()))
            .map_err(|source| TextError::Automaton { what: "taxonomy term", source })?;
        Ok(TermMatcher { exact, groups, owners, patterns, ac })
    }

    /// The owners of a term given by its key, best source first.
    pub fn exact(&self, key: &str) -> Option<&[Owner]> {
        self.exact.get(key).map(|&id| self.owners[id as usize].as_slice())
    }

    /// The group whose name or alias is this key (and no occupation's).
    pub fn group(&self, key: &str) -> Option<OcdCode> {
        self.groups.get(key).copied()
    }

    /// Calls `f(term, owners)` for each leftmost-longest term in `key`.
    pub fn for_each_match(&self, key: &str, mut f: impl FnMut(&str, &[Owner])) {
        for m in self.ac.find_iter(key) {
            let id = m.pattern().as_usize();
            f(&self.patterns[id], &self.owners[id]);
        }
    }

    /// The owners of the term with index `term` (in [`TermMatcher::terms`] order).
    pub fn owners_of(&self, term: u32) -> &[Owner] {
        &self.owners[term as usize]
    }

    /// The key of the term with index `term`.
    pub fn term(&self, term: u32) -> &str {
        &self.patterns[term as usize]
    }

    /// Every term's key, for the tokenizer's user dictionary and the cleaner's
    /// protected terms.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| &**p)
    }
}
