//! [`ClassifierOptions`] and [`Method`].

use crate::fusion::Fusion;
use crate::index::Bm25Params;

/// How a posting's code was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// A rule of the rules file named an occupation.
    Rule,
    /// The cleaned title (or a piece of it) is an occupation's name.
    Exact,
    /// The cleaned title (or a piece of it) is an occupation's alias.
    Alias,
    /// Ranked by term matches, similarity and BM25F scores.
    Bm25,
    /// Ranked, but confident only at a level above fine (see `level`).
    Fallback,
    /// No evidence for any occupation: no code, never a guess.
    Unclassified,
}

impl Method {
    /// Lower-case name, as written in the `method` column.
    pub fn name(self) -> &'static str {
        match self {
            Method::Rule => "rule",
            Method::Exact => "exact",
            Method::Alias => "alias",
            Method::Bm25 => "bm25",
            Method::Fallback => "fallback",
            Method::Unclassified => "unclassified",
        }
    }
}

/// Options of the classifier, with their defaults. The evidence weights are
/// the fusion's, fitted on the tuning half of the gold set and checked on the
/// report half (see ARCHITECTURE.md).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifierOptions {
    /// Candidates kept per posting. Default 5.
    pub top_k: usize,
    /// Scale of the description evidence as the fusion weighs it: 1 as
    /// fitted, 0 ignores the description. Default 1.
    pub description_weight: f32,
    /// How evidence becomes scores and confidences: weights fitted on the
    /// gold set's tuning half by `zhiye fit`. Default: `config/fusion.toml`.
    pub fusion: Fusion,
    /// Similarities below this are ignored. Default 0.2.
    pub min_similarity: f32,
    /// Weight of weak head words (专员, 经理, 工程师 …) in the title's BM25
    /// query, so that the words before them decide. Default 0.5.
    pub weak_head_weight: f32,
    /// Weight of the words in a title's brackets in its BM25 query (the
    /// cleaner takes brackets out of the title itself). Default 0.5.
    pub bracket_weight: f32,
    /// A level is trusted when the confidence mass of the candidates sharing
    /// the best one's class at that level reaches this. Default 0.5.
    pub level_threshold: f32,
    /// How descriptions are segmented: jieba words and bigrams like titles, or
    /// bigrams alone (much faster on long text). Default bigrams.
    pub description_terms: DescriptionTerms,
    /// Description terms held by more than this share of occupations are
    /// skipped: boilerplate (岗位职责, 五险一金 …) is spread over many
    /// definitions, informs little, and makes the longest postings. Default
    /// 0.005 (9 occupations). Measured on the gold postings' tuning half, 0.02,
    /// 0.01 and 0.005 code the same share right (95.0%); on the board-like
    /// bench corpus 0.005 agrees with the true code a little more often than
    /// 0.02 (85.9% vs 85.7%) and reads descriptions in about half the time.
    pub description_max_df: f32,
    /// BM25F parameters.
    pub bm25: Bm25Params,
    /// Titles whose summary the scratches sharing a memo remember together,
    /// in each of two generations (0 = none): a repeated title is read once.
    /// Results are the same either way. About 1.7 KB a title. Default 32768.
    pub title_memo: usize,
}

/// Segmentation of descriptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptionTerms {
    /// jieba-rs words and character bigrams, as for titles.
    WordsAndBigrams,
    /// Character bigrams only.
    Bigrams,
}

impl Default for ClassifierOptions {
    fn default() -> Self {
        ClassifierOptions {
            top_k: 5,
            description_weight: 1.0,
            fusion: Fusion::default(),
            min_similarity: 0.2,
            weak_head_weight: 0.5,
            bracket_weight: 0.5,
            level_threshold: 0.5,
            description_terms: DescriptionTerms::Bigrams,
            description_max_df: 0.005,
            bm25: Bm25Params::default(),
            title_memo: 32768,
        }
    }
}
