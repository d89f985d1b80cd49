//! [`search`]: BM25-ranked postings for a query, filtered by occupation
//! prefix and year, with snippets and facet counts.

use std::path::Path;

use serde::Serialize;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use crate::build::open_index;
use crate::schema::{Fields, LEVEL_FIELDS};
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
    /// The level occupations are counted at instead: 1 large, 2 medium, 3
    /// small, 4 fine (below `code`'s level; 4 under a fine code).
    pub facet_level: Option<usize>,
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
    pub by_occupation: Vec<Facet>,
    /// Matching postings by year (with `facets`).
    pub by_year: Vec<Facet>,
}

/// The facet key of postings without a code.
pub const UNCLASSIFIED: &str = "unclassified";
/// The facet key of postings without a date.
pub const NO_DATE: &str = "no date";

/// Matching postings of one occupation or year, and their wages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Facet {
    /// The occupation code (or [`UNCLASSIFIED`]) or the year (or [`NO_DATE`]).
    pub key: String,
    /// Postings.
    pub postings: u64,
    /// Of those, postings with a wage.
    pub with_wage: u64,
    /// Their median monthly wage in CNY (tantivy's percentile sketch: within
    /// about 1%); none without wages.
    pub median_wage: Option<f64>,
    /// Their mean monthly wage in CNY; none without wages.
    pub mean_wage: Option<f64>,
}

/// Runs `query` (tantivy query syntax over title, description and company;
/// Chinese split into words by jieba) against the index at `index_dir`.
pub fn search(index_dir: &Path, query: &str, options: &SearchOptions) -> Result<SearchResult> {
    PostingSearch::open(index_dir)?.search(query, options)
}

/// An index opened for searching, kept open between queries.
pub struct PostingSearch {
    index: Index,
    fields: Fields,
    reader: IndexReader,
}

impl std::fmt::Debug for PostingSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostingSearch").field("documents", &self.reader.searcher().num_docs()).finish()
    }
}

impl PostingSearch {
    /// Opens the index at `index_dir`.
    pub fn open(index_dir: &Path) -> Result<PostingSearch> {
        let (mut index, fields) = open_index(index_dir)?;
        // Segments are searched in parallel, one per core: a large index has several.
        index.set_default_multithread_executor()?;
        let reader = index.reader()?;
        Ok(PostingSearch { index, fields, reader })
    }

    /// Documents in the index.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// See [`search`].
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<SearchResult> {
        search_in(&self.index, &self.fields, &self.reader, query, options)
    }
}

fn search_in(
    index: &Index,
    f: &Fields,
    reader: &IndexReader,
    query: &str,
    options: &SearchOptions,
) -> Result<SearchResult> {
    let f = *f;
    let searcher = reader.searcher();
    let mut parser = QueryParser::for_index(index, vec![f.title, f.description, f.company]);
    parser.set_field_boost(f.title, 2.0);
    let text = parser.parse_query(query).map_err(|source| SearchError::Parse { query: query.into(), source })?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
    // Counts go one level below the --code prefix (large classes without one).
    let mut count_level = 0;
    if let Some(code) = &options.code {
        let depth = code.split('-').count();
        if !(1..=4).contains(&depth) || code.split('-').any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(SearchError::Query(format!("--code {code:?} is not an OCD code or prefix (e.g. 2-02)")));
        }
        let term = Term::from_field_text(f.levels[depth - 1], code);
        clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        count_level = depth.min(3);
    }
    if let Some(level) = options.facet_level {
        if !(1..=4).contains(&level) || level <= count_level {
            let allowed = match count_level {
                0 => "1 (large) to 4 (fine)".to_string(),
                3 => "4 (fine) under a small class".to_string(),
                c => format!("{} to 4 (fine), below --code's level", c + 1),
            };
            return Err(SearchError::Query(format!("--facet-level {level}: give {allowed}")));
        }
        count_level = level - 1;
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
            snippet: html(&snippets.snippet_from_doc(&doc)),
        });
    }
    let (mut by_occupation, mut by_year) = (Vec::new(), Vec::new());
    if options.facets {
        // Wages by bucket: a count and mean (exact) and the median (sketch).
        let wages = serde_json::json!({
            "wage_stats": {"stats": {"field": "wage"}},
            "wage_median": {"percentiles": {"field": "wage", "percents": [50.0], "keyed": false}},
        });
        // Postings without a code or a date get a bucket of their own, wages included.
        let mut occupation = serde_json::json!({"field": LEVEL_FIELDS[count_level], "size": 100_000});
        if options.code.is_none() {
            occupation["missing"] = UNCLASSIFIED.into();
        }
        let request: Aggregations = serde_json::from_value(serde_json::json!({
            "occupation": {"terms": occupation, "aggs": wages},
            "year": {"terms": {"field": "year", "size": 1000, "missing": NO_DATE}, "aggs": wages},
        }))
        .map_err(|source| SearchError::Facets { what: "build the request", source })?;
        let result = searcher.search(&query, &AggregationCollector::from_aggs(request, Default::default()))?;
        let result =
            serde_json::to_value(result).map_err(|source| SearchError::Facets { what: "read the result", source })?;
        let buckets = |name: &str| -> Vec<Facet> {
            result[name]["buckets"].as_array().into_iter().flatten().map(facet).filter(|f| f.postings > 0).collect()
        };
        by_occupation = buckets("occupation");
        by_occupation.sort_by(|a, b| b.postings.cmp(&a.postings).then_with(|| a.key.cmp(&b.key)));
        by_year = buckets("year");
        by_year.sort_by(|a, b| a.key.cmp(&b.key));
    }
    Ok(SearchResult { total, hits, by_occupation, by_year })
}

/// A terms bucket with its wage sub-aggregations.
fn facet(b: &serde_json::Value) -> Facet {
    // i64 keys (years) come back as numbers, "2022.0" in some versions: keep the integer.
    let key = match &b["key"] {
        serde_json::Value::String(s) => s.clone(),
        k => k.as_f64().map_or_else(|| k.to_string(), |v| format!("{v:.0}")),
    };
    let with_wage = b["wage_stats"]["count"].as_u64().unwrap_or(0);
    let wage = |v: &serde_json::Value| v.as_f64().filter(|_| with_wage > 0);
    Facet {
        key,
        postings: b["doc_count"].as_u64().unwrap_or(0),
        with_wage,
        median_wage: wage(&b["wage_median"]["values"][0]["value"]),
        mean_wage: wage(&b["wage_stats"]["avg"]),
    }
}

/// The snippet with its matches in `<b>…</b>`, HTML-escaped. Jieba's search
/// mode indexes overlapping words (人工智能 and 智能), whose highlights overlap:
/// they are merged here (tantivy's `to_html` assumes they do not).
fn html(snippet: &tantivy::snippet::Snippet) -> String {
    let text = snippet.fragment();
    let mut ranges: Vec<std::ops::Range<usize>> = snippet
        .highlighted()
        .iter()
        .filter(|r| {
            r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let (mut out, mut at) = (String::with_capacity(text.len() + 16 * merged.len()), 0);
    for r in merged {
        out.push_str(&escape(&text[at..r.start]));
        out.push_str("<b>");
        out.push_str(&escape(&text[r.clone()]));
        out.push_str("</b>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// Latency of a set of queries against one index, each run `repeats` times
/// after one warm-up pass.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
    /// Queries timed (queries × repeats).
    pub queries: usize,
    /// Median, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, milliseconds.
    pub p99_ms: f64,
    /// Slowest, milliseconds.
    pub max_ms: f64,
    /// Documents in the index.
    pub documents: u64,
    /// Each query on its own: which are slow, and how many postings they match.
    pub per_query: Vec<QueryLatency>,
}

/// The latency of one query of [`Latency`].
#[derive(Clone, Debug, Serialize)]
pub struct QueryLatency {
    /// The query, with its filters (`--year`, `--code`, `--facets`) appended.
    pub query: String,
    /// Postings it matches.
    pub total: usize,
    /// Median, milliseconds.
    pub p50_ms: f64,
    /// Slowest, milliseconds.
    pub max_ms: f64,
}

/// Times `queries` (each with its options, hits and facets as a user would
/// ask) against the index, kept open: the benchmark of `zhiye search --bench`.
pub fn measure_latency(index_dir: &Path, queries: &[(String, SearchOptions)], repeats: usize) -> Result<Latency> {
    let index = PostingSearch::open(index_dir)?;
    let documents = index.documents();
    let mut totals = Vec::with_capacity(queries.len());
    for (q, o) in queries {
        totals.push(index.search(q, o)?.total);
    }
    // Interleaved (query 1, 2, … then again) so that no query gets a quieter moment than the others.
    let mut ms = vec![Vec::with_capacity(repeats.max(1)); queries.len()];
    for _ in 0..repeats.max(1) {
        for ((q, o), times) in queries.iter().zip(&mut ms) {
            let t = std::time::Instant::now();
            index.search(q, o)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let at = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let mut per_query = Vec::with_capacity(queries.len());
    for (((q, o), times), total) in queries.iter().zip(&mut ms).zip(totals) {
        times.sort_by(f64::total_cmp);
        let mut query = q.clone();
        if let Some(y) = o.year {
            query += &format!(" --year {y}");
        }
        if let Some(c) = &o.code {
            query += &format!(" --code {c}");
        }
        if o.facets {
            query += " --facets";
        }
        per_query.push(QueryLatency { query, total, p50_ms: at(times, 0.5), max_ms: at(times, 1.0) });
    }
    let mut all: Vec<f64> = ms.concat();
    all.sort_by(f64::total_cmp);
    Ok(Latency {
        queries: all.len(),
        p50_ms: at(&all, 0.5),
        p99_ms: at(&all, 0.99),
        max_ms: at(&all, 1.0),
        documents,
        per_query,
    })
}
