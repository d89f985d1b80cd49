//! The index schema: one tantivy document per posting.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The names of the code fields, large to fine.
pub const LEVEL_FIELDS: [&str; 4] = ["code_large", "code_medium", "code_small", "code_fine"];

/// The tokenizer name the text fields use (jieba words, search mode).
pub const JIEBA: &str = "jieba";

/// The fields of a posting document.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `posting_id` (stored, exact).
    pub posting_id: Field,
    /// Title, jieba words, stored (snippets).
    pub title: Field,
    /// Description, jieba words, stored (snippets).
    pub description: Field,
    /// Company, jieba words, stored.
    pub company: Field,
    /// City (stored, exact).
    pub city: Field,
    /// The fine code, or empty when unclassified (stored, exact).
    pub code: Field,
    /// The code at each level, `2`, `2-02`, `2-02-10`, `2-02-10-01` (exact and
    /// fast: a prefix filter is a term on the prefix's level, counts are a terms
    /// aggregation on the level below).
    pub levels: [Field; 4],
    /// Year (fast, stored); month 1–12 (stored).
    pub year: Field,
    /// Month.
    pub month: Field,
    /// Monthly wage in CNY (stored and fast, for the wages of facets; absent when not parsed).
    pub wage: Field,
    /// Minimum years of experience (stored; absent when not parsed).
    pub exp_min: Field,
    /// The corpus file the posting came from (exact): deleted and re-added
    /// together when the file changes.
    pub file: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(JIEBA)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        posting_id: b.add_text_field("posting_id", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        description: b.add_text_field("description", text.clone()),
        company: b.add_text_field("company", text),
        city: b.add_text_field("city", STRING | STORED),
        code: b.add_text_field("code", STRING | STORED),
        levels: LEVEL_FIELDS.map(|name| b.add_text_field(name, STRING | FAST)),
        year: b.add_i64_field("year", INDEXED | FAST | STORED),
        month: b.add_i64_field("month", STORED),
        wage: b.add_f64_field("wage", STORED | FAST),
        exp_min: b.add_i64_field("exp_min", STORED),
        file: b.add_text_field("file", STRING),
    };
    (b.build(), fields)
}
