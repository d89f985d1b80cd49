//! [`build_index`]: corpus partitions → tantivy documents, in parallel, only
//! the partitions that are new or changed since the last build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, UNIX_EPOCH};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, UInt8Type};
use arrow_array::{Array, RecordBatch, StringArray};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};
use zhiye_ingest::{RowGroupRef, column_names, list_parquet, row_group_batches, row_groups};
use zhiye_postings::{INPUT_COLUMNS, ParseRates, PostingCoder};
use zhiye_text::{Classifier, Scratch, TitleMemo};

use crate::schema::{Fields, JIEBA, schema};
use crate::words::PostingWords;
use crate::{Result, SearchError};

/// The file in the index folder that records the partitions indexed and the
/// classification they were indexed with.
const MANIFEST: &str = "zhiye-partitions.json";

/// Options of [`build_index`].
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Indexing memory budget in MB, shared by the writer's threads (default 256).
    pub memory_mb: usize,
    /// AI-skill phrases flagged as the run flags them (not indexed; the coder needs them).
    pub ai_keywords: Vec<String>,
    /// What the postings are classified with (e.g. `zhiye run`'s configuration
    /// fingerprint): when it differs from the last build's, every partition is
    /// indexed again, so that no code in the index is stale (default empty).
    pub fingerprint: String,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { memory_mb: 256, ai_keywords: Vec::new(), fingerprint: String::new() }
    }
}

/// What a build did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IndexStats {
    /// Partitions indexed now (new or changed).
    pub indexed: usize,
    /// Partitions unchanged since the last build, left as they were.
    pub unchanged: usize,
    /// Partitions gone from the corpus, whose postings were deleted.
    pub removed: usize,
    /// The classification changed since the last build: everything was indexed again.
    pub fingerprint_changed: bool,
    /// Postings added.
    pub postings: u64,
    /// Documents in the index after the build.
    pub documents: u64,
    /// Wall time.
    pub seconds: f64,
    /// Size of the index folder in bytes.
    pub bytes: u64,
}

/// What the last build indexed: its classification and its partitions.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    fingerprint: String,
    partitions: BTreeMap<PathBuf, Seen>,
}

/// A partition as last indexed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Seen {
    size: u64,
    mtime_ns: u128,
}

fn seen(path: &Path) -> Result<Seen> {
    let m = std::fs::metadata(path).map_err(|e| SearchError::io(path, e))?;
    let mtime_ns = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    Ok(Seen { size: m.len(), mtime_ns })
}

/// The index at `index_dir`, with its tokenizer ([`PostingWords`] and the
/// dictionary saved with it) registered.
pub fn open_index(index_dir: &Path) -> Result<(Index, Fields)> {
    if !index_dir.join("meta.json").exists() {
        return Err(SearchError::NoIndex(index_dir.into()));
    }
    let (expected, fields) = schema();
    let index = Index::open_in_dir(index_dir)?;
    if index.schema() != expected {
        return Err(SearchError::OtherSchema(index_dir.into()));
    }
    index.tokenizers().register(JIEBA, PostingWords::load(index_dir)?);
    Ok((index, fields))
}

/// The index at `index_dir`, created with the dictionary `words` when missing.
fn open_or_create<'a>(index_dir: &Path, words: impl IntoIterator<Item = &'a str>) -> Result<(Index, Fields)> {
    if !index_dir.join("meta.json").exists() {
        std::fs::create_dir_all(index_dir).map_err(|e| SearchError::io(index_dir, e))?;
        // The dictionary first: an index without one cannot be opened.
        PostingWords::save(index_dir, words)?;
        Index::create_in_dir(index_dir, schema().0)?;
    }
    open_index(index_dir)
}

/// Indexes the posting Parquet under `corpus` into `index_dir`, classifying
/// each posting as `zhiye run` does; partitions unchanged since the last
/// build (same size and mtime, same `options.fingerprint`) are skipped,
/// changed ones re-indexed, removed ones deleted. A new index keeps the
/// dictionary its text is split by (names, aliases, `ai_keywords`). Memory:
/// the writer's budget plus one batch per thread.
pub fn build_index(
    corpus: &Path,
    index_dir: &Path,
    classifier: &Classifier,
    options: &IndexOptions,
) -> Result<IndexStats> {
    let start = Instant::now();
    // The corpus first: a mistyped --input must neither create an index nor empty one.
    if !corpus.is_dir() {
        return Err(SearchError::Corpus { path: corpus.into(), message: "no such folder (the postings to index)" });
    }
    let files = list_parquet(corpus)?;
    if files.is_empty() {
        let message = "no Parquet files here: nothing to index (an empty corpus would empty the index)";
        return Err(SearchError::Corpus { path: corpus.into(), message });
    }
    // The user dictionary: occupation names and aliases, and the AI-skill phrases.
    let words = classifier.terms().chain(options.ai_keywords.iter().map(String::as_str));
    let (index, fields) = open_or_create(index_dir, words)?;
    let manifest_path = index_dir.join(MANIFEST);
    let before: Manifest = match std::fs::read(&manifest_path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|source| SearchError::Manifest { path: manifest_path.clone(), source })?,
        Err(_) => Manifest::default(),
    };
    let mut now = BTreeMap::new();
    let mut changed = Vec::new();
    let mut stats = IndexStats {
        fingerprint_changed: !before.partitions.is_empty() && before.fingerprint != options.fingerprint,
        ..IndexStats::default()
    };
    for f in &files {
        let s = seen(f)?;
        if before.partitions.get(f) == Some(&s) && !stats.fingerprint_changed {
            stats.unchanged += 1;
        } else {
            changed.push(f.clone());
        }
        now.insert(f.clone(), s);
    }
    let mut writer: IndexWriter = index.writer(options.memory_mb.max(15) * 1_000_000)?;
    for gone in before.partitions.keys().filter(|f| !now.contains_key(*f)) {
        writer.delete_term(Term::from_field_text(fields.file, &gone.display().to_string()));
        stats.removed += 1;
    }
    for f in &changed {
        writer.delete_term(Term::from_field_text(fields.file, &f.display().to_string()));
    }
    let coder = PostingCoder::new(&options.ai_keywords)?;
    let groups = row_groups(&changed)?;
    let memo = Arc::new(TitleMemo::new());
    let added: u64 = groups
        .par_iter()
        .map_init(
            || Scratch::sharing(&memo),
            |scratch, g| index_group(g, &writer, &fields, classifier, &coder, scratch),
        )
        .collect::<Result<Vec<u64>>>()?
        .into_iter()
        .sum();
    writer.commit()?;
    writer.wait_merging_threads()?;
    // The manifest follows the commit: a crash in between re-indexes the partitions (deleting them first).
    let manifest = Manifest { fingerprint: options.fingerprint.clone(), partitions: now };
    let json = serde_json::to_vec_pretty(&manifest).expect("a map of paths serialises");
    zhiye_core::fs::write_atomic(&manifest_path, &json).map_err(|e| SearchError::io(&manifest_path, e))?;

    let reader = index.reader()?;
    stats.indexed = changed.len();
    stats.postings = added;
    stats.documents = reader.searcher().num_docs();
    stats.bytes = dir_size(index_dir);
    stats.seconds = start.elapsed().as_secs_f64();
    Ok(stats)
}

/// Classifies and indexes one row group; returns the postings added.
fn index_group(
    g: &RowGroupRef,
    writer: &IndexWriter,
    f: &Fields,
    classifier: &Classifier,
    coder: &PostingCoder,
    scratch: &mut Scratch,
) -> Result<u64> {
    let names = column_names(&g.path)?;
    let columns: Vec<&str> =
        INPUT_COLUMNS.iter().chain(&["company"]).copied().filter(|c| names.iter().any(|n| n == c)).collect();
    let file = g.path.display().to_string();
    let mut added = 0;
    for batch in row_group_batches(g, &columns, 8192)? {
        let batch = batch?;
        let n = batch.num_rows();
        let rows = (0..n as u64).collect();
        let coded = coder.code(classifier, &batch, rows, vec![None; n], scratch, &mut ParseRates::default())?;
        let text = |b: &RecordBatch, name: &str| b.column_by_name(name).and_then(|a| a.as_string_opt::<i32>().cloned());
        let (ids, titles, descriptions) =
            (text(&coded, "posting_id"), text(&coded, "title"), text(&batch, "description"));
        let (companies, cities, codes) = (text(&batch, "company"), text(&coded, "city"), text(&coded, "code"));
        let col = |name: &str| coded.column_by_name(name).cloned();
        let years = col("year");
        let years = years.as_ref().and_then(|a| a.as_primitive_opt::<Int32Type>());
        let months = col("month");
        let months = months.as_ref().and_then(|a| a.as_primitive_opt::<Int32Type>());
        let wages = col("wage");
        let wages = wages.as_ref().and_then(|a| a.as_primitive_opt::<Float64Type>());
        let exps = col("exp_min");
        let exps = exps.as_ref().and_then(|a| a.as_primitive_opt::<UInt8Type>());
        for i in 0..n {
            let mut doc = TantivyDocument::default();
            let mut add_text = |field, a: &Option<StringArray>| {
                if let Some(a) = a.as_ref().filter(|a| !a.is_null(i)) {
                    doc.add_text(field, a.value(i));
                }
            };
            add_text(f.posting_id, &ids);
            add_text(f.title, &titles);
            add_text(f.description, &descriptions);
            add_text(f.company, &companies);
            add_text(f.city, &cities);
            let code = codes.as_ref().filter(|c| !c.is_null(i)).map(|c| c.value(i));
            if let Some(code) = code {
                doc.add_text(f.code, code);
                // The prefix at each level: up to each `-`, then the whole code.
                let ends = code.match_indices('-').map(|(i, _)| i).chain([code.len()]);
                for (field, end) in f.levels.iter().zip(ends) {
                    doc.add_text(*field, &code[..end]);
                }
            }
            if let Some(y) = years.filter(|y| !y.is_null(i)).map(|y| y.value(i)) {
                doc.add_i64(f.year, i64::from(y));
            }
            if let Some(m) = months.filter(|m| !m.is_null(i)).map(|m| m.value(i)) {
                doc.add_i64(f.month, i64::from(m));
            }
            if let Some(w) = wages.filter(|w| !w.is_null(i)).map(|w| w.value(i)) {
                doc.add_f64(f.wage, w);
            }
            if let Some(e) = exps.filter(|e| !e.is_null(i)).map(|e| e.value(i)) {
                doc.add_i64(f.exp_min, i64::from(e));
            }
            doc.add_text(f.file, &file);
            writer.add_document(doc)?;
            added += 1;
        }
    }
    Ok(added)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum())
        .unwrap_or(0)
}
