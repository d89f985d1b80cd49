//! [`Classifier`]: cleans a title, matches occupation terms, scores every
//! occupation with BM25F over title and description, and ranks them.

use std::fmt::Write as _;
use std::path::Path;

use zhiye_core::{OcdCode, Taxonomy};

use crate::clean::{CleanTitle, TitleCleaner, read_cities};
use crate::index::{Bm25Params, OccupationIndex};
use crate::matcher::{TermMatcher, TermSource};
use crate::normalize::{key_into, normalize_into};
use crate::tokenize::Tokenizer;
use crate::{Result, TextError};

/// How a posting's code was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The cleaned title (or a piece of it) is an occupation's name.
    Exact,
    /// The cleaned title (or a piece of it) is an occupation's alias.
    Alias,
    /// Ranked by term matches and BM25F scores.
    Bm25,
    /// No evidence for any occupation.
    Unclassified,
}

impl Method {
    /// Lower-case name, as written in the `method` column.
    pub fn name(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Alias => "alias",
            Method::Bm25 => "bm25",
            Method::Unclassified => "unclassified",
        }
    }
}

/// Options of the classifier, with their defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifierOptions {
    /// Candidates kept per posting. Default 5.
    pub top_k: usize,
    /// Weight of description evidence relative to the title's (0 ignores the
    /// description). Default 0.3.
    pub description_weight: f32,
    /// Bonus of an occupation whose name or alias is the whole cleaned title
    /// (or its first matching piece). Default 3.
    pub exact_bonus: f32,
    /// Bonus per matched name or alias inside the title, times the share of
    /// the title it covers. Default 1.
    pub match_bonus: f32,
    /// Extra weight of a title term at the very end of the title (the head
    /// word), growing linearly from 0 at the start. Default 0.
    pub head_weight: f32,
    /// BM25F parameters.
    pub bm25: Bm25Params,
}

impl Default for ClassifierOptions {
    fn default() -> Self {
        ClassifierOptions {
            top_k: 5,
            description_weight: 0.3,
            exact_bonus: 3.0,
            match_bonus: 1.0,
            head_weight: 0.0,
            bm25: Bm25Params::default(),
        }
    }
}

/// Assigns OCD occupations to postings. Immutable once built and `Sync`:
/// share one across threads, each with its own [`Scratch`].
#[derive(Debug)]
pub struct Classifier {
    codes: Vec<OcdCode>,
    cleaner: TitleCleaner,
    tokenizer: Tokenizer,
    index: OccupationIndex,
    matcher: TermMatcher,
    options: ClassifierOptions,
}

/// Per-thread working memory of [`Classifier::classify`], reused between
/// postings so that the hot path does not allocate.
#[derive(Debug, Default)]
pub struct Scratch {
    clean: CleanTitle,
    key: String,
    term: String,
    desc: String,
    title_scores: Vec<f32>,
    desc_scores: Vec<f32>,
    bonus: Vec<f32>,
    touched_mark: Vec<bool>,
    touched: Vec<u32>,
    term_stamp: Vec<u32>,
    stamp: u32,
    title_terms: Vec<(u32, f32)>,
    top: Vec<(u32, f32)>,
    top_codes: Vec<(OcdCode, f32)>,
    evidence: String,
}

/// The result for one posting; borrows from the [`Scratch`].
#[derive(Clone, Copy, Debug)]
pub struct Outcome<'s> {
    /// The best occupation, `None` when unclassified.
    pub code: Option<OcdCode>,
    /// Score of the best occupation.
    pub score: f32,
    /// Best score minus the second best.
    pub margin: f32,
    /// How the code was decided.
    pub method: Method,
    /// The top-k occupations with their scores, best first.
    pub top: &'s [(OcdCode, f32)],
    /// Matched terms and removed noise, for reading why.
    pub evidence: &'s str,
}

impl Classifier {
    /// Builds a classifier over the occupations of `taxonomy`, cleaning titles
    /// with the given city names and extra noise phrases.
    pub fn new(taxonomy: &Taxonomy, cities: &[String], noise: &[String], options: ClassifierOptions) -> Result<Self> {
        if taxonomy.occupations().is_empty() {
            return Err(TextError::EmptyTaxonomy);
        }
        let matcher = TermMatcher::build(taxonomy)?;
        let cleaner =
            TitleCleaner::new(cities.iter().map(|s| s.as_str()), noise.iter().map(|s| s.as_str()), matcher.terms())?;
        let tokenizer = Tokenizer::new(std::iter::empty());
        let index = OccupationIndex::build(taxonomy, &tokenizer, &options.bm25);
        let codes = taxonomy.occupations().iter().map(|&i| taxonomy.classes()[i].code).collect();
        Ok(Classifier { codes, cleaner, tokenizer, index, matcher, options })
    }

    /// Builds a classifier from a taxonomy folder holding `csco22.csv`,
    /// `cncity.csv` and `stopwords.txt` (as `make setup` extracts them).
    pub fn from_dir(dir: &Path, options: ClassifierOptions) -> Result<(Taxonomy, Self)> {
        let taxonomy = Taxonomy::from_path(dir.join("csco22.csv"))?;
        let keep: String = taxonomy
            .classes()
            .iter()
            .flat_map(|c| [c.name.as_str(), &c.definition].into_iter().chain(c.aliases.iter().map(|a| a.as_str())))
            .collect::<Vec<_>>()
            .join("|");
        let cities = read_cities(&dir.join("cncity.csv"), &keep)?;
        let stop = dir.join("stopwords.txt");
        let noise =
            std::fs::read_to_string(&stop).map_err(|e| TextError::Read { path: stop, message: e.to_string() })?;
        let noise: Vec<String> = noise.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        let classifier = Classifier::new(&taxonomy, &cities, &noise, options)?;
        Ok((taxonomy, classifier))
    }

    /// The options in force.
    pub fn options(&self) -> &ClassifierOptions {
        &self.options
    }

    /// The occupation codes, in document order.
    pub fn codes(&self) -> &[OcdCode] {
        &self.codes
    }

    /// The title cleaner.
    pub fn cleaner(&self) -> &TitleCleaner {
        &self.cleaner
    }

    /// Classifies one posting. `scratch` is reused between calls; the outcome
    /// borrows from it.
    pub fn classify<'s>(&self, title: &str, description: Option<&str>, s: &'s mut Scratch) -> Outcome<'s> {
        self.prepare(s);
        s.evidence.clear();
        self.cleaner.clean_into(title, &mut s.clean);
        let text_chars = s.clean.text.chars().filter(|c| c.is_alphanumeric()).count().max(1);

        let decided = self.exact_match(s);
        self.term_matches(s, text_chars);

        // BM25F over the title's terms, each counted once.
        // Terms nearer the end weigh more: Chinese titles are head-final
        // (数控车工, 软件测试工程师).
        let text = std::mem::take(&mut s.clean.text);
        let len = text.len().max(1) as f32;
        let head = self.options.head_weight;
        s.stamp += 1;
        s.title_terms.clear();
        self.tokenizer.for_each_term(&text, &mut s.term, |t, end| {
            if let Some(id) = self.index.term_id(t) {
                let w = 1.0 + head * end as f32 / len;
                if s.term_stamp[id as usize] != s.stamp {
                    s.term_stamp[id as usize] = s.stamp;
                    s.title_terms.push((id, w));
                } else if let Some(e) = s.title_terms.iter_mut().find(|e| e.0 == id) {
                    e.1 = e.1.max(w);
                }
            }
        });
        s.clean.text = text;
        for &(id, q) in &s.title_terms {
            for &(d, w) in self.index.postings(id) {
                s.title_scores[d as usize] += q * w;
                touch(&mut s.touched_mark, &mut s.touched, d);
            }
        }
        if let Some(desc) = description.filter(|_| self.options.description_weight > 0.0) {
            self.score_description(desc, s);
        }
        self.rank(s, decided)
    }

    fn prepare(&self, s: &mut Scratch) {
        let n = self.codes.len();
        if s.title_scores.len() != n {
            s.title_scores = vec![0.0; n];
            s.desc_scores = vec![0.0; n];
            s.bonus = vec![0.0; n];
            s.touched_mark = vec![false; n];
            s.touched.clear();
        }
        if s.term_stamp.len() != self.index.terms() {
            s.term_stamp = vec![0; self.index.terms()];
            s.stamp = 0;
        }
        for &d in &s.touched {
            let d = d as usize;
            s.title_scores[d] = 0.0;
            s.desc_scores[d] = 0.0;
            s.bonus[d] = 0.0;
            s.touched_mark[d] = false;
        }
        s.touched.clear();
    }

    /// The whole cleaned title, or else its first piece, as a name or alias.
    fn exact_match(&self, s: &mut Scratch) -> Option<(u32, Method)> {
        key_into(&s.clean.text, &mut s.key);
        let mut found = self.matcher.exact(&s.key).map(|o| (o, s.key.clone()));
        if found.is_none() {
            for piece in s.clean.pieces() {
                key_into(piece, &mut s.term);
                if let Some(o) = self.matcher.exact(&s.term) {
                    found = Some((o, s.term.clone()));
                    break;
                }
            }
        }
        let (owners, term) = found?;
        let best = owners[0].1;
        let n_best = owners.iter().take_while(|o| o.1 == best).count();
        for &(d, src) in owners {
            let share = if src == best { 1.0 } else { 0.5 };
            s.bonus[d as usize] += self.options.exact_bonus * share / n_best as f32;
            touch(&mut s.touched_mark, &mut s.touched, d);
        }
        let _ = write!(s.evidence, "exact={term}({}) ", best.name());
        (n_best == 1).then(|| (owners[0].0, if best == TermSource::Name { Method::Exact } else { Method::Alias }))
    }

    fn term_matches(&self, s: &mut Scratch, text_chars: usize) {
        let key = std::mem::take(&mut s.key);
        let mut first = true;
        self.matcher.for_each_match(&key, |term, owners| {
            let cover = term.chars().count() as f32 / text_chars as f32;
            for &(d, src) in owners {
                let w = if src == TermSource::AliasPart { 0.7 } else { 1.0 };
                s.bonus[d as usize] += self.options.match_bonus * w * cover.min(1.0) / owners.len().min(4) as f32;
                touch(&mut s.touched_mark, &mut s.touched, d);
            }
            s.evidence.push_str(if first { "match=" } else { "," });
            s.evidence.push_str(term);
            first = false;
        });
        if !first {
            s.evidence.push(' ');
        }
        s.key = key;
    }

    fn score_description(&self, desc: &str, s: &mut Scratch) {
        s.desc.clear();
        normalize_into(desc, &mut s.desc);
        s.stamp += 1;
        let desc = std::mem::take(&mut s.desc);
        self.tokenizer.for_each_term(&desc, &mut s.term, |t, _| {
            if let Some(id) = self.index.term_id(t)
                && s.term_stamp[id as usize] != s.stamp
            {
                s.term_stamp[id as usize] = s.stamp;
                for &(d, w) in self.index.postings(id) {
                    s.desc_scores[d as usize] += w;
                    touch(&mut s.touched_mark, &mut s.touched, d);
                }
            }
        });
        s.desc = desc;
    }

    fn rank<'s>(&self, s: &'s mut Scratch, decided: Option<(u32, Method)>) -> Outcome<'s> {
        let max = |v: &[f32]| s.touched.iter().map(|&d| v[d as usize]).fold(0.0f32, f32::max);
        let (tmax, dmax) = (max(&s.title_scores), max(&s.desc_scores));
        let tnorm = if tmax > 0.0 { 1.0 / tmax } else { 0.0 };
        let dnorm = if dmax > 0.0 { self.options.description_weight / dmax } else { 0.0 };
        let k = self.options.top_k.max(2);
        s.top.clear();
        for &d in &s.touched {
            let i = d as usize;
            let score = s.bonus[i] + s.title_scores[i] * tnorm + s.desc_scores[i] * dnorm;
            if score <= 0.0 {
                continue;
            }
            // Keep the k best, ties broken by document order for determinism.
            let pos = s.top.partition_point(|&(e, es)| es > score || (es == score && e < d));
            if pos < k {
                if s.top.len() == k {
                    s.top.pop();
                }
                s.top.insert(pos, (d, score));
            }
        }
        let Some(&(best, score)) = s.top.first() else {
            self.finish_evidence(s, None);
            let evidence = &s.evidence;
            return Outcome { code: None, score: 0.0, margin: 0.0, method: Method::Unclassified, top: &[], evidence };
        };
        let margin = score - s.top.get(1).map_or(0.0, |t| t.1);
        let method = match decided {
            Some((d, m)) if d == best => m,
            _ => Method::Bm25,
        };
        self.finish_evidence(s, Some(best));
        s.top.truncate(self.options.top_k);
        s.top_codes.clear();
        s.top_codes.extend(s.top.iter().map(|&(d, sc)| (self.codes[d as usize], sc)));
        Outcome {
            code: Some(self.codes[best as usize]),
            score,
            margin,
            method,
            top: &s.top_codes,
            evidence: &s.evidence,
        }
    }

    fn finish_evidence(&self, s: &mut Scratch, best: Option<u32>) {
        if let Some(best) = best {
            let mut first = true;
            for &(id, _) in &s.title_terms {
                let p = self.index.postings(id);
                if p.binary_search_by_key(&best, |&(d, _)| d).is_ok() {
                    s.evidence.push_str(if first { "terms=" } else { "," });
                    let name = self.index.term_name(id);
                    s.evidence.push_str(name.trim_start_matches('\u{1}'));
                    first = false;
                }
            }
            if !first {
                s.evidence.push(' ');
            }
        }
        let mut first = true;
        for (kind, text) in s.clean.removed() {
            let _ = write!(s.evidence, "{}{}:{}", if first { "removed=" } else { "," }, kind.name(), text);
            first = false;
        }
        let trimmed = s.evidence.trim_end().len();
        s.evidence.truncate(trimmed);
    }
}

impl Scratch {
    /// A fresh scratch; buffers grow on first use.
    pub fn new() -> Scratch {
        Scratch::default()
    }
}

#[inline]
fn touch(mark: &mut [bool], touched: &mut Vec<u32>, d: u32) {
    if !mark[d as usize] {
        mark[d as usize] = true;
        touched.push(d);
    }
}
