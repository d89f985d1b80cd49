//! [`OccupationIndex`]: a BM25F index with one document per occupation and
//! fields name, aliases, definition and tasks, stored as flat postings of
//! precomputed term weights.

use rustc_hash::FxHashMap;
use zhiye_core::Taxonomy;

use crate::normalize::normalize;
use crate::tokenize::{BIGRAM_MARK, Tokenizer};

#[inline]
fn pack(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// Number of fields of an occupation document.
pub const FIELDS: usize = 4;
/// Field names, in index order.
pub const FIELD_NAMES: [&str; FIELDS] = ["name", "alias", "definition", "tasks"];

/// BM25F parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Bm25Params {
    /// Term-frequency saturation. Default 1.2.
    pub k1: f32,
    /// Field weights (name, alias, definition, tasks). Default 3, 2, 1, 0.6.
    pub field_weights: [f32; FIELDS],
    /// Length normalisation per field. Default 0.3, 0.5, 0.75, 0.75.
    pub b: [f32; FIELDS],
    /// Terms in more than this fraction of occupations are dropped: they carry
    /// almost no information and make the longest postings. Default 0.25.
    pub max_df: f32,
}

impl Default for Bm25Params {
    fn default() -> Self {
        Bm25Params { k1: 1.2, field_weights: [3.0, 2.0, 1.0, 0.6], b: [0.3, 0.5, 0.75, 0.75], max_df: 0.25 }
    }
}

/// The BM25F index over occupations. Documents are numbered in the order of
/// [`Taxonomy::occupations`].
#[derive(Debug)]
pub struct OccupationIndex {
    terms: FxHashMap<Box<str>, u32>,
    /// The bigram terms again, keyed by their two characters packed in a
    /// `u64`, so long descriptions are looked up without building strings.
    bigrams: FxHashMap<u64, u32>,
    names: Vec<Box<str>>,
    /// `postings[offsets[t]..offsets[t + 1]]` are term `t`'s (document, weight).
    offsets: Vec<u32>,
    postings: Vec<(u32, f32)>,
    docs: usize,
}

impl OccupationIndex {
    /// Indexes every occupation of `taxonomy`.
    pub fn build(taxonomy: &Taxonomy, tokenizer: &Tokenizer, params: &Bm25Params) -> OccupationIndex {
        let occ = taxonomy.occupations();
        let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        // tf[doc] = (term, field, count), gathered before weighting.
        let mut tf: Vec<FxHashMap<u32, [f32; FIELDS]>> = vec![FxHashMap::default(); occ.len()];
        let mut len = vec![[0f32; FIELDS]; occ.len()];
        let mut key = String::new();
        for (d, &ci) in occ.iter().enumerate() {
            let c = &taxonomy.classes()[ci];
            let texts: [String; FIELDS] = [
                normalize(&c.name),
                normalize(&c.aliases.join(" ")),
                normalize(&c.definition),
                normalize(&c.tasks.join(" ")),
            ];
            for (f, text) in texts.iter().enumerate() {
                tokenizer.for_each_term(text, &mut key, |t, _| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(t.into()).or_insert(next);
                    tf[d].entry(id).or_insert([0.0; FIELDS])[f] += 1.0;
                    len[d][f] += 1.0;
                });
            }
        }
        let n = occ.len() as f32;
        let mut avg = [0f32; FIELDS];
        for l in &len {
            for f in 0..FIELDS {
                avg[f] += l[f] / n;
            }
        }
        let mut df = vec![0u32; ids.len()];
        for doc in &tf {
            for &t in doc.keys() {
                df[t as usize] += 1;
            }
        }
        let mut per_term: Vec<Vec<(u32, f32)>> = vec![Vec::new(); ids.len()];
        for (d, doc) in tf.iter().enumerate() {
            for (&t, counts) in doc {
                let dft = df[t as usize] as f32;
                if dft > params.max_df * n {
                    continue;
                }
                let idf = (1.0 + (n - dft + 0.5) / (dft + 0.5)).ln();
                let mut w = 0.0;
                for f in 0..FIELDS {
                    if counts[f] > 0.0 {
                        let norm = 1.0 - params.b[f] + params.b[f] * len[d][f] / avg[f].max(1e-6);
                        w += params.field_weights[f] * counts[f] / norm;
                    }
                }
                per_term[t as usize].push((d as u32, idf * w * (params.k1 + 1.0) / (params.k1 + w)));
            }
        }
        let mut offsets = Vec::with_capacity(per_term.len() + 1);
        let mut postings = Vec::new();
        offsets.push(0);
        for mut p in per_term {
            p.sort_unstable_by_key(|&(d, _)| d);
            postings.extend(p);
            offsets.push(postings.len() as u32);
        }
        let mut names: Vec<Box<str>> = vec!["".into(); ids.len()];
        let mut bigrams = FxHashMap::default();
        for (t, &id) in &ids {
            names[id as usize] = t.clone();
            let mut chars = t.chars();
            if let (Some(BIGRAM_MARK), Some(a), Some(b), None) =
                (chars.next(), chars.next(), chars.next(), chars.next())
            {
                bigrams.insert(pack(a, b), id);
            }
        }
        OccupationIndex { terms: ids, bigrams, names, offsets, postings, docs: occ.len() }
    }

    /// Number of documents (occupations).
    pub fn docs(&self) -> usize {
        self.docs
    }

    /// Number of distinct terms.
    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    /// The id of a term.
    #[inline]
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.terms.get(term).copied()
    }

    /// The text of a term (bigrams carry a leading `\u{1}`).
    pub fn term_name(&self, term: u32) -> &str {
        &self.names[term as usize]
    }

    /// The two characters of a bigram term, `None` for a word.
    pub fn bigram_chars(&self, term: u32) -> Option<(char, char)> {
        let mut chars = self.names[term as usize].chars();
        match (chars.next(), chars.next(), chars.next(), chars.next()) {
            (Some(BIGRAM_MARK), Some(a), Some(b), None) => Some((a, b)),
            _ => None,
        }
    }

    /// The id of the bigram term `ab`.
    #[inline]
    pub fn bigram_id(&self, a: char, b: char) -> Option<u32> {
        self.bigrams.get(&pack(a, b)).copied()
    }

    /// The (document, weight) postings of a term.
    #[inline]
    pub fn postings(&self, term: u32) -> &[(u32, f32)] {
        let t = term as usize;
        &self.postings[self.offsets[t] as usize..self.offsets[t + 1] as usize]
    }
}
