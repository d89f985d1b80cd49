//! [`ExposureScores`]: the paper's exposure score of every occupation and of
//! the classes above it, overall and per model.

use std::collections::BTreeMap;

use serde::Serialize;
use zhiye_core::{Level, OcdCode};

use super::LabelSet;
use crate::table::{Cell, Table};

/// The large classes the paper leaves out of the scored set: 1 (负责人, heads of
/// party, state and organisations), 7 (军队人员, the military) and 8 (不便分类,
/// not classifiable).
pub const DEFAULT_EXCLUDED_LARGE: [u8; 3] = [1, 7, 8];

/// Options of [`ExposureScores::compute`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExposureOptions {
    /// Large classes (first code part) whose occupations are dropped before
    /// any score is computed. Default [`DEFAULT_EXCLUDED_LARGE`], `[1, 7, 8]`.
    pub excluded_large: Vec<u8>,
}

impl Default for ExposureOptions {
    fn default() -> ExposureOptions {
        ExposureOptions { excluded_large: DEFAULT_EXCLUDED_LARGE.to_vec() }
    }
}

impl ExposureOptions {
    /// Options that exclude these large classes instead of the default ones.
    pub fn excluding(large: impl IntoIterator<Item = u8>) -> ExposureOptions {
        ExposureOptions { excluded_large: large.into_iter().collect() }
    }

    /// Whether the code's large class is excluded.
    pub fn is_excluded(&self, code: OcdCode) -> bool {
        self.excluded_large.contains(&code.parts()[0])
    }
}

/// The score of one class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// The overall score: for an occupation the mean over the models that
    /// scored it; above, the mean of the children's overall scores.
    pub score: f64,
    /// Per model: for an occupation the mean over its runs; above, the mean of
    /// the children's scores by that model (over children it scored).
    pub by_model: BTreeMap<String, f64>,
    /// Valid labels behind the score (all runs of all models, summed over descendants).
    pub n_runs: usize,
}

/// Exposure scores at the four levels of the OCD tree.
///
/// The rule of Chen et al. (2025), after Eloundou et al. (2023): each label is
/// valued E0 = 0, E1 = 1, E2 = E3 = 0.5 ([`super::Label::value`]); an
/// occupation's score by a model is the mean over that model's runs, and its
/// overall score the mean over models. Each level above is the mean of its
/// **children's** scores (not of all descendants): small = mean of its
/// occupations, medium = mean of its small classes, large = mean of its medium
/// classes, skipping children without a score. An undivided small class
/// (`2-03-01-00`) is an occupation and rolls up to itself as a small class.
#[derive(Clone, Debug, Default)]
pub struct ExposureScores {
    models: Vec<String>,
    levels: [BTreeMap<OcdCode, Score>; 4],
    dropped_labels: usize,
    invalid_labels: usize,
}

impl ExposureScores {
    /// Scores the labels, dropping the occupations of excluded large classes first.
    pub fn compute(labels: &LabelSet, options: &ExposureOptions) -> ExposureScores {
        // (code, model) -> (sum of values, runs)
        let mut runs: BTreeMap<OcdCode, BTreeMap<&str, (f64, usize)>> = BTreeMap::new();
        let mut dropped_labels = 0;
        for l in labels.labels() {
            if options.is_excluded(l.code) {
                dropped_labels += 1;
                continue;
            }
            let slot = runs.entry(l.code).or_default().entry(l.model.as_str()).or_default();
            slot.0 += l.label.value();
            slot.1 += 1;
        }
        let mut models: Vec<String> = Vec::new();
        let mut fine = BTreeMap::new();
        for (code, per_model) in runs {
            let by_model: BTreeMap<String, f64> =
                per_model.iter().map(|(m, (sum, n))| (m.to_string(), sum / *n as f64)).collect();
            for m in by_model.keys() {
                if !models.contains(m) {
                    models.push(m.clone());
                }
            }
            let score = by_model.values().sum::<f64>() / by_model.len() as f64;
            let n_runs = per_model.values().map(|(_, n)| n).sum();
            fine.insert(code, Score { score, by_model, n_runs });
        }
        models.sort();
        let small = roll_up_scores(&fine, Level::Fine);
        let medium = roll_up_scores(&small, Level::Small);
        let large = roll_up_scores(&medium, Level::Medium);
        ExposureScores {
            models,
            levels: [large, medium, small, fine],
            dropped_labels,
            invalid_labels: labels.invalid(),
        }
    }

    /// The models that gave labels, sorted.
    pub fn models(&self) -> &[String] {
        &self.models
    }

    /// The scored classes at a level. At [`Level::Fine`] these are the
    /// occupations, including undivided small classes (whose codes have level
    /// [`Level::Small`]).
    pub fn level(&self, level: Level) -> &BTreeMap<OcdCode, Score> {
        &self.levels[level.depth() - 1]
    }

    /// The overall score of a class at a level.
    pub fn score(&self, level: Level, code: OcdCode) -> Option<f64> {
        self.level(level).get(&code).map(|s| s.score)
    }

    /// The overall scores at a level.
    pub fn scores(&self, level: Level) -> BTreeMap<OcdCode, f64> {
        self.level(level).iter().map(|(c, s)| (*c, s.score)).collect()
    }

    /// One model's scores at a level (classes it scored).
    pub fn model_scores(&self, level: Level, model: &str) -> BTreeMap<OcdCode, f64> {
        self.level(level).iter().filter_map(|(c, s)| Some((*c, *s.by_model.get(model)?))).collect()
    }

    /// Valid labels dropped because their large class is excluded.
    pub fn dropped_labels(&self) -> usize {
        self.dropped_labels
    }

    /// Rows labelled `invalid` in the label file (skipped before scoring).
    pub fn invalid_labels(&self) -> usize {
        self.invalid_labels
    }

    /// The scores at a level as a table: `code`, `score`, one column per
    /// model, `n_runs`. Codes are written to their depth (`2-02` medium,
    /// `2-02-10-01` fine; an undivided small class as `2-03-01-00` at the fine level).
    pub fn to_table(&self, level: Level) -> Table {
        let mut columns = vec!["code".to_string(), "score".to_string()];
        columns.extend(self.models.iter().cloned());
        columns.push("n_runs".to_string());
        let mut table = Table::new(columns);
        for (code, s) in self.level(level) {
            let mut row: Vec<Cell> = vec![code.written_at(level).into(), s.score.into()];
            row.extend(self.models.iter().map(|m| Cell::from(s.by_model.get(m).copied())));
            row.push(s.n_runs.into());
            table.push(row);
        }
        table
    }
}

/// The class one level above an entry of a table at `level`; `None` at the
/// large level or when the parent is not a valid class (e.g. `8-00-00`, a
/// small class with no medium class).
pub(crate) fn parent_of(code: OcdCode, level: Level) -> Option<OcdCode> {
    let up = Level::from_depth(level.depth() - 1)?;
    // `truncate` keeps an undivided small class (a Small-level code) as itself.
    OcdCode::new(code.truncate(up).parts(), up)
}

fn roll_up_scores(children: &BTreeMap<OcdCode, Score>, level: Level) -> BTreeMap<OcdCode, Score> {
    let mut groups: BTreeMap<OcdCode, Vec<&Score>> = BTreeMap::new();
    for (code, s) in children {
        if let Some(parent) = parent_of(*code, level) {
            groups.entry(parent).or_default().push(s);
        }
    }
    groups
        .into_iter()
        .map(|(parent, kids)| {
            let score = kids.iter().map(|s| s.score).sum::<f64>() / kids.len() as f64;
            let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
            for (m, v) in kids.iter().flat_map(|s| &s.by_model) {
                let slot = sums.entry(m.clone()).or_default();
                slot.0 += v;
                slot.1 += 1;
            }
            let by_model = sums.into_iter().map(|(m, (sum, n))| (m, sum / n as f64)).collect();
            let n_runs = kids.iter().map(|s| s.n_runs).sum();
            (parent, Score { score, by_model, n_runs })
        })
        .collect()
}

/// Rolls a table of scores at `from` up to the coarser level `to`, one level
/// at a time, each class taking the mean of its children's scores (children
/// without a score are skipped). Entries whose parent is not a valid class
/// (such as `8-00-00`) are left out. Returns the input unchanged if `to` is
/// not coarser than `from`.
pub fn roll_up(scores: &BTreeMap<OcdCode, f64>, from: Level, to: Level) -> BTreeMap<OcdCode, f64> {
    let mut current = scores.clone();
    let mut level = from;
    while level > to {
        let mut groups: BTreeMap<OcdCode, (f64, usize)> = BTreeMap::new();
        for (code, v) in &current {
            if let Some(parent) = parent_of(*code, level) {
                let slot = groups.entry(parent).or_default();
                slot.0 += v;
                slot.1 += 1;
            }
        }
        current = groups.into_iter().map(|(c, (sum, n))| (c, sum / n as f64)).collect();
        level = Level::from_depth(level.depth() - 1).unwrap_or(Level::Large);
    }
    current
}
