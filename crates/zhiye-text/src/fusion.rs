//! [`Fusion`]: how the evidence about a candidate occupation becomes its
//! score, and scores become probabilities.
//!
//! Each candidate of a posting carries [`FEATURES`] evidence values (see
//! [`Feature`]); its score is their weighted sum, and the confidences are a
//! softmax over the candidates and a "none of these" option scored
//! [`Fusion::none`]. That is a conditional-logit model: `zhiye fit` fits the
//! weights by maximum likelihood on the tuning half of the gold set (the
//! labeller's code or documented alternative counts as right, a gold code
//! outside the candidates makes "none" right), so a candidate's confidence
//! estimates its chance of being right. The fitted weights are kept in
//! `config/fusion.toml` and compiled in as the default.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Result, TextError};

/// Number of evidence features per candidate.
pub const FEATURES: usize = 11;

/// One kind of evidence about a candidate occupation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// 1 for the occupation a deciding rule names.
    Rule,
    /// The whole cleaned title (or its first matching piece) is the
    /// occupation's name or alias: 1, shared among owners (an alias shared
    /// with a name counts half).
    Exact,
    /// Names and aliases inside the title, times the share of it they cover.
    Match,
    /// Best character n-gram similarity (Dice) of the title to the
    /// occupation's name or aliases.
    Similarity,
    /// The occupation's name or alias is the head of the title: the longest
    /// term a piece of the title ends with (`精神科护工` → `护工`), shared
    /// among its owners. Chinese job titles are head-final: the last term
    /// names the job, what comes before qualifies it.
    Head,
    /// Title BM25F, divided by the posting's best.
    Title,
    /// Description BM25, divided by the posting's best.
    Description,
    /// The same when the title is weak (no deciding rule, no exact name or
    /// alias, no close similarity): lets the description overrule it.
    DescriptionWeakTitle,
    /// ln(1 + the occupation's job-board aliases): how often it is advertised.
    Prior,
    /// The description's bigrams in the boards' own vocabulary of the
    /// occupation ([`DescriptionModel`](crate::DescriptionModel), when one is
    /// loaded), divided by the posting's best.
    Learned,
    /// The same when the title is weak.
    LearnedWeakTitle,
}

impl Feature {
    /// Every feature, in vector order.
    pub const ALL: [Feature; FEATURES] = [
        Feature::Rule,
        Feature::Exact,
        Feature::Match,
        Feature::Similarity,
        Feature::Head,
        Feature::Title,
        Feature::Description,
        Feature::DescriptionWeakTitle,
        Feature::Prior,
        Feature::Learned,
        Feature::LearnedWeakTitle,
    ];

    /// Its name in `config/fusion.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Rule => "rule",
            Feature::Exact => "exact",
            Feature::Match => "match",
            Feature::Similarity => "similarity",
            Feature::Head => "head",
            Feature::Title => "title",
            Feature::Description => "description",
            Feature::DescriptionWeakTitle => "description_weak_title",
            Feature::Prior => "prior",
            Feature::Learned => "learned",
            Feature::LearnedWeakTitle => "learned_weak_title",
        }
    }
}

/// Feature weights and the score of "none of these".
#[derive(Clone, Debug, PartialEq)]
pub struct Fusion {
    /// Weight per feature, in [`Feature::ALL`] order.
    pub weights: [f32; FEATURES],
    /// Score of the "none of these" option.
    pub none: f32,
}

/// `config/fusion.toml` as written by `zhiye fit`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FusionFile {
    /// The weights.
    pub weights: Weights,
    /// How they were fitted (provenance; not read by the classifier).
    #[serde(default)]
    pub fit: Option<toml::Table>,
}

/// The weights by name, one per [`Feature`] (see there for what each weighs).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// [`Feature::Rule`].
    pub rule: f32,
    /// [`Feature::Exact`].
    pub exact: f32,
    /// [`Feature::Match`].
    #[serde(rename = "match")]
    pub match_: f32,
    /// [`Feature::Similarity`].
    pub similarity: f32,
    /// [`Feature::Head`].
    #[serde(default)]
    pub head: f32,
    /// [`Feature::Title`].
    pub title: f32,
    /// [`Feature::Description`].
    pub description: f32,
    /// [`Feature::DescriptionWeakTitle`].
    pub description_weak_title: f32,
    /// [`Feature::Prior`].
    pub prior: f32,
    /// [`Feature::Learned`]; 0 when fitted without a description model.
    #[serde(default)]
    pub learned: f32,
    /// [`Feature::LearnedWeakTitle`].
    #[serde(default)]
    pub learned_weak_title: f32,
    /// Score of "none of these".
    pub none: f32,
}

/// The fitted weights shipped with the source.
const SHIPPED: &str = include_str!("../../../config/fusion.toml");

impl Default for Fusion {
    /// The fitted weights of `config/fusion.toml`.
    fn default() -> Self {
        Fusion::from_toml(SHIPPED, Path::new("config/fusion.toml")).expect("config/fusion.toml parses")
    }
}

impl Fusion {
    /// Reads weights from the text of a fusion file; `path` names it in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Fusion> {
        let file: FusionFile = toml::from_str(text).map_err(|source| TextError::Toml { path: path.into(), source })?;
        Ok(Fusion::from(file.weights))
    }

    /// Reads a fusion file.
    pub fn read(path: &Path) -> Result<Fusion> {
        let text = std::fs::read_to_string(path).map_err(|source| TextError::Io { path: path.into(), source })?;
        Fusion::from_toml(&text, path)
    }

    /// The score of a candidate with evidence `f`.
    #[inline]
    pub fn score(&self, f: &[f32; FEATURES]) -> f32 {
        let mut s = 0.0;
        for (w, x) in self.weights.iter().zip(f) {
            s += w * x;
        }
        s
    }

    /// The weights by name, for writing.
    pub fn to_weights(&self) -> Weights {
        let w = &self.weights;
        Weights {
            rule: w[0],
            exact: w[1],
            match_: w[2],
            similarity: w[3],
            head: w[4],
            title: w[5],
            description: w[6],
            description_weak_title: w[7],
            prior: w[8],
            learned: w[9],
            learned_weak_title: w[10],
            none: self.none,
        }
    }
}

impl From<Weights> for Fusion {
    fn from(w: Weights) -> Self {
        Fusion {
            weights: [
                w.rule,
                w.exact,
                w.match_,
                w.similarity,
                w.head,
                w.title,
                w.description,
                w.description_weak_title,
                w.prior,
                w.learned,
                w.learned_weak_title,
            ],
            none: w.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_parse_and_score_linearly() {
        let f = Fusion::default();
        let mut x = [0.0; FEATURES];
        assert_eq!(f.score(&x), 0.0);
        x[Feature::Rule as usize] = 1.0;
        assert_eq!(f.score(&x), f.weights[0]);
        let back = Fusion::from(f.to_weights());
        assert_eq!(back, f);
        assert_eq!(Feature::ALL.map(|f| f as usize), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
}
