//! Full-text search over postings: a tantivy index with Chinese words by
//! jieba-rs with a user dictionary from the taxonomy ([`PostingWords`]), for reading the corpus and checking the
//! classifier.
//!
//! - [`build_index`]: corpus partitions → one document per posting (title,
//!   description, company, city, the OCD code at every level as the run
//!   classifies it, year, month, wage, experience), in parallel, incremental by
//!   partition (new or changed ones only), memory bounded by the writer's
//!   budget.
//! - [`search`]: BM25-ranked hits with snippets, filters by occupation prefix
//!   and year, and facet counts by occupation and year.
//!
//! ```no_run
//! use std::path::Path;
//! use zhiye_search::{SearchOptions, search};
//!
//! let found = search(Path::new("out/index"), "大模型", &SearchOptions { year: Some(2022), facets: true, ..Default::default() })?;
//! println!("{} postings; first: {:?}", found.total, found.hits.first().map(|h| &h.title));
//! # Ok::<(), zhiye_search::SearchError>(())
//! ```

mod build;
mod error;
mod schema;
mod search;
mod words;

pub use build::{IndexOptions, IndexStats, build_index, open_index};
pub use error::{Result, SearchError};
pub use schema::{Fields, JIEBA, schema};
pub use search::{
    Facet, Hit, Latency, NO_DATE, PostingSearch, QueryLatency, SearchOptions, SearchResult, UNCLASSIFIED,
    measure_latency, search,
};
pub use words::{PostingWords, WORDS_FILE, Words};
