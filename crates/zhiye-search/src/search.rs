//! [`search`]: BM25-ranked postings for a query, filtered by occupation
//! prefix and year, with snippets and facet counts.

use std::path::Path;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

use crate::build::open_index;
use crate::{Result, SearchError};

/// What to search for.
#[derive(Clone, Debug, Default)]
pub struct SearchOptions {
    /// Only occupations under this code (`2`, `2-02`, `2-02-10` or a fine code).
    pub code: Option<String>,
    /// Only postings of this year.
    pub year: Option<i64>,
    /// Hits returned (default 10).
    pub limit: usize,
    /// Also count all matching postings by occupation (one level below
    /// `code`, or large classes) and by year.
    pub facets: bool,
}

/// One posting found.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// BM25 score.
    pub score: f32,
    /// The posting's id.
    pub posting_id: String,
    /// Title.
    pub title: String,
    /// Company.
    pub company: String,
    /// City.
    pub city: String,
    /// Fine code (empty when unclassified).
    pub code: String,
    /// Year, month.
    pub year: Option<i64>,
    /// Month.
    pub month: Option<i64>,
    /// Monthly wage.
    pub wage: Option<f64>,
    /// Minimum years of experience.
    pub exp_min: Option<i64>,
    /// The best passage of the description, matches in `<b>…</b>`.
    pub snippet: String,
}

/// The answer to a query.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResult {
    /// Postings matching (all of them, not only those returned).
    pub total: usize,
    /// The best `limit`, by score.
    pub hits: Vec<Hit>,
    /// Matching postings by occupation code (with `facets`).
    pub by_occupation: Vec<(String, u64)>,
    /// Matching postings by year (with `facets`).
    pub by_year: Vec<(String, u64)>,
}

/// Runs `query` (tantivy query syntax over title, description and company;
/// Chinese split into words by jieba) against the index at `index_dir`.
pub fn search(index_dir: &Path, query: &str, options: &SearchOptions) -> Result<SearchResult> {
    let (index, f) = open_index(index_dir, false)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut parser = QueryParser::for_index(&index, vec![f.title, f.description, f.company]);
    parser.set_field_boost(f.title, 2.0);
    let text = parser.parse_query(query).map_err(|e| SearchError::Query(e.to_string()))?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
    let mut facet_root = "/".to_string();
    if let Some(code) = &options.code {
        let depth = code.split('-').count();
        if !(1..=4).contains(&depth) || code.split('-').any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(SearchError::Query(format!("--code {code:?} is not an OCD code or prefix (e.g. 2-02)")));
        }
        let term = Term::from_field_text(f.levels[depth - 1], code);
        clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        let parts: Vec<&str> = code.split('-').collect();
        facet_root = (1..=depth).map(|d| format!("/{}", parts[..d].join("-"))).collect();
    }
    if let Some(y) = options.year {
        let term = Term::from_field_i64(f.year, y);
        clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    let query = BooleanQuery::new(clauses);
    let limit = if options.limit == 0 { 10 } else { options.limit };
    let (top, total) = searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count))?;
    let mut snippets = SnippetGenerator::create(&searcher, &*text, f.description)?;
    snippets.set_max_num_chars(120);
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let s = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let i = |field| doc.get_first(field).and_then(|v| v.as_i64());
        hits.push(Hit {
            score,
            posting_id: s(f.posting_id),
            title: s(f.title),
            company: s(f.company),
            city: s(f.city),
            code: s(f.code),
            year: i(f.year),
            month: i(f.month),
            wage: doc.get_first(f.wage).and_then(|v| v.as_f64()),
            exp_min: i(f.exp_min),
            snippet: snippets.snippet_from_doc(&doc).to_html(),
        });
    }
    let (mut by_occupation, mut by_year) = (Vec::new(), Vec::new());
    if options.facets {
        let mut occ = FacetCollector::for_field("occupation");
        occ.add_facet(Facet::from(facet_root.as_str()));
        let mut years = FacetCollector::for_field("year_facet");
        years.add_facet(Facet::from("/"));
        let (occ, years) = searcher.search(&query, &(occ, years))?;
        let name = |facet: &Facet| facet.to_path().last().map_or_else(String::new, |s| s.to_string());
        by_occupation = occ.get(Facet::from(facet_root.as_str())).map(|(k, n)| (name(k), n)).collect();
        by_occupation.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        by_year = years.get(Facet::from("/")).map(|(k, n)| (name(k), n)).collect();
        by_year.sort();
    }
    Ok(SearchResult { total, hits, by_occupation, by_year })
}
