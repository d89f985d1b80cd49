//! [`DescriptionModel`]: the boards' own description vocabulary per
//! occupation, learned from a corpus by `zhiye learn`.
//!
//! OCD definitions are written in dictionary language, descriptions in job-ad
//! language. Postings whose title alone decides the occupation with high
//! confidence (a rule, or the occupation's own name or alias, trusted at fine
//! level) are labelled examples for free: [`DescriptionCounts`] counts, per
//! occupation, in how many of its postings each description bigram occurs,
//! and [`DescriptionCounts::model`] keeps the bigrams over-represented in an
//! occupation's postings (smoothed log lift against all counted postings,
//! in at least `min_df` of them), at most `max_terms` per occupation. The
//! model is a sorted TSV (`bigram`, `code`, `weight`): deterministic for a
//! corpus, and versioned with the run by its digest.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use zhiye_core::OcdCode;

use crate::normalize::is_han;
use crate::{Result, TextError};

/// Options of [`DescriptionCounts::model`], with their defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnOptions {
    /// Titles must be decided at least this confidently. Default 0.9.
    pub min_score: f32,
    /// Occupations with fewer example postings get no vocabulary. Default 20.
    pub min_postings: u32,
    /// A bigram must occur in at least this many of an occupation's postings. Default 3.
    pub min_df: u32,
    /// Bigrams kept per occupation, the most over-represented first. Default 300.
    pub max_terms: usize,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions { min_score: 0.9, min_postings: 20, min_df: 3, max_terms: 300 }
    }
}

/// Two CJK ideographs packed in a `u32`: every range [`is_han`] accepts lies
/// below U+10000.
#[inline]
pub(crate) fn pack(a: char, b: char) -> u32 {
    pack_codes(a as u32, b as u32)
}

/// [`pack`] of two code points.
#[inline]
pub(crate) fn pack_codes(a: u32, b: u32) -> u32 {
    (a << 16) | (b & 0xFFFF)
}

fn unpack(key: u32) -> Option<(char, char)> {
    Some((char::from_u32(key >> 16)?, char::from_u32(key & 0xFFFF)?))
}

/// Per occupation, in how many example postings each description bigram occurs.
#[derive(Clone, Debug, Default)]
pub struct DescriptionCounts {
    postings: FxHashMap<OcdCode, u32>,
    df: FxHashMap<(u32, OcdCode), u32>,
    total: u32,
    bigram_df: FxHashMap<u32, u32>,
    /// Scratch: the distinct bigrams of the posting being added.
    seen: FxHashSet<u32>,
}

impl DescriptionCounts {
    /// Counts one example posting of `code`.
    pub fn add(&mut self, code: OcdCode, description: &str) {
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        let mut prev: Option<char> = None;
        for c in description.chars() {
            if !is_han(c) {
                prev = None;
                continue;
            }
            if let Some(p) = prev {
                seen.insert(pack(p, c));
            }
            prev = Some(c);
        }
        *self.postings.entry(code).or_default() += 1;
        self.total += 1;
        for &b in seen.iter() {
            *self.df.entry((b, code)).or_default() += 1;
            *self.bigram_df.entry(b).or_default() += 1;
        }
        self.seen = seen;
    }

    /// Adds another worker's counts.
    pub fn merge(&mut self, other: DescriptionCounts) {
        for (k, v) in other.postings {
            *self.postings.entry(k).or_default() += v;
        }
        for (k, v) in other.df {
            *self.df.entry(k).or_default() += v;
        }
        for (k, v) in other.bigram_df {
            *self.bigram_df.entry(k).or_default() += v;
        }
        self.total += other.total;
    }

    /// Example postings counted.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// Occupations with at least `min` example postings.
    pub fn occupations(&self, min: u32) -> usize {
        self.postings.values().filter(|&&n| n >= min).count()
    }

    /// The model: per occupation with enough examples, the bigrams whose
    /// share of its postings most exceeds their share of all postings.
    pub fn model(&self, o: &LearnOptions) -> DescriptionModel {
        let total = f64::from(self.total.max(1));
        let mut by_code: FxHashMap<OcdCode, Vec<(u32, f32)>> = FxHashMap::default();
        for (&(b, code), &n) in &self.df {
            let posts = self.postings[&code];
            if posts < o.min_postings || n < o.min_df {
                continue;
            }
            let p_in = (f64::from(n) + 0.5) / (f64::from(posts) + 1.0);
            let p_all = (f64::from(self.bigram_df[&b]) + 0.5) / (total + 1.0);
            let lift = (p_in / p_all).ln();
            if lift > 0.0 {
                by_code.entry(code).or_default().push((b, (lift * p_in.sqrt()) as f32));
            }
        }
        let mut entries = Vec::new();
        for (code, mut terms) in by_code {
            terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            terms.truncate(o.max_terms);
            entries.extend(terms.into_iter().map(|(b, w)| (b, code, w)));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        DescriptionModel { entries, path: None }
    }
}

/// Learned description bigrams: `(packed bigram, occupation, weight)`, sorted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DescriptionModel {
    entries: Vec<(u32, OcdCode, f32)>,
    /// The file it was read from, so that later errors can name it.
    path: Option<PathBuf>,
}

impl DescriptionModel {
    /// Its entries, sorted by bigram then code.
    pub fn entries(&self) -> &[(u32, OcdCode, f32)] {
        &self.entries
    }

    /// The file it was read from ([`read`](Self::read)); `None` when learned in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Occupations with a vocabulary.
    pub fn occupations(&self) -> usize {
        self.entries.iter().map(|e| e.1).collect::<FxHashSet<_>>().len()
    }

    /// The model as TSV text (a header comment, then `bigram\tcode\tweight`).
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        for &(b, code, w) in &self.entries {
            let (x, y) = unpack(b).expect("packed from chars");
            let _ = writeln!(out, "{x}{y}\t{code}\t{w:.5}");
        }
        out
    }

    /// Reads a model written by [`to_tsv`](Self::to_tsv).
    pub fn read(path: &Path) -> Result<DescriptionModel> {
        let text = std::fs::read_to_string(path).map_err(|source| TextError::Io { path: path.into(), source })?;
        let bad =
            |line: usize, what: &str| TextError::Read { path: path.into(), message: format!("line {line}: {what}") };
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(bigram), Some(code), Some(weight), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad(i + 1, "expected bigram, code and weight separated by tabs"));
            };
            let mut chars = bigram.chars();
            let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) else {
                return Err(bad(i + 1, "the bigram is not two characters"));
            };
            let code: OcdCode = code.parse().map_err(|_| bad(i + 1, "not an OCD code"))?;
            let weight: f32 = weight.parse().map_err(|_| bad(i + 1, "the weight is not a number"))?;
            entries.push((pack(a, b), code, weight));
        }
        Ok(DescriptionModel { entries, path: Some(path.into()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_the_bigrams_an_occupation_uses_more_than_others() {
        let c = |s: &str| s.parse::<OcdCode>().unwrap();
        let (dev, sales) = (c("2-02-10-03"), c("4-01-02-01"));
        let mut counts = DescriptionCounts::default();
        for _ in 0..5 {
            counts.add(dev, "负责后端接口开发，五险一金");
            counts.add(sales, "开拓客户，完成销售业绩，五险一金");
        }
        let o = LearnOptions { min_postings: 3, min_df: 3, ..LearnOptions::default() };
        let m = counts.model(&o);
        let has = |b: &str, code| {
            let mut ch = b.chars();
            let key = pack(ch.next().unwrap(), ch.next().unwrap());
            m.entries().iter().any(|e| e.0 == key && e.1 == code)
        };
        assert!(has("接口", dev) && has("业绩", sales));
        assert!(!has("接口", sales) && !has("五险", dev), "shared boilerplate has no lift");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.tsv");
        std::fs::write(&path, m.to_tsv("test model")).unwrap();
        assert_eq!(DescriptionModel::read(&path).unwrap().entries().len(), m.entries().len());
    }
}
