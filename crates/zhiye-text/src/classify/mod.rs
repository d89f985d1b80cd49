//! [`Classifier`]: cleans a title, applies rules, matches occupation terms,
//! scores every occupation with n-gram similarity and BM25F over title and
//! description, ranks them and turns the scores into confidences.

mod memo;
mod rank;
mod summary;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use zhiye_core::{Level, OcdCode, Taxonomy};

use crate::clean::{CleanTitle, NoiseKind, TitleCleaner, read_cities};
use crate::description::{BigramScratch, DescriptionIndex, load_all};
use crate::fusion::{FEATURES, Feature};
pub use memo::{MemoStats, TitleMemo};
use rank::Candidate;
use summary::TitleSummary;

/// Slots of `Scratch::term_ev`, in feature order.
const RULE: usize = Feature::Rule as usize;
const EXACT: usize = Feature::Exact as usize;
const MATCH: usize = Feature::Match as usize;
const SIMILARITY: usize = Feature::Similarity as usize;
use crate::index::OccupationIndex;
use crate::lexicon::WEAK_HEADS;
use crate::matcher::{TermMatcher, TermSource};
use crate::normalize::{key_into, normalize_into};
use crate::options::{ClassifierOptions, DescriptionTerms, Method};
use crate::rules::RuleSet;
use crate::similar::{SimilarityIndex, SimilarityScratch};
use crate::tokenize::Tokenizer;
use crate::{Result, TextError};

/// Assigns OCD occupations to postings. Immutable once built and `Sync`:
/// share one across threads, each with its own [`Scratch`].
#[derive(Debug)]
pub struct Classifier {
    codes: Vec<OcdCode>,
    cleaner: TitleCleaner,
    tokenizer: Tokenizer,
    index: OccupationIndex,
    description: DescriptionIndex,
    /// The boards' description vocabulary, when a model is loaded.
    learned: Option<DescriptionIndex>,
    matcher: TermMatcher,
    similar: SimilarityIndex,
    rules: RuleSet,
    /// Per occupation: ln(1 + number of job-board aliases).
    prior: Vec<f32>,
    /// The same times its fusion weight.
    prior_score: Vec<f32>,
    /// Per index term: its weight in a title query (below 1 for weak heads).
    weak: Vec<f32>,
    options: ClassifierOptions,
}

/// Per-thread working memory of [`Classifier::classify`], reused between
/// postings so that the hot path does not allocate once it has grown.
#[derive(Debug, Default)]
pub struct Scratch {
    clean: CleanTitle,
    key: String,
    term: String,
    text: String,
    title_scores: Vec<f32>,
    /// Term evidence per occupation, one 16-byte slot each (one load or
    /// store per candidate): rule, exact, match and similarity, the first
    /// four features of the fusion (see [`crate::Feature`]).
    term_ev: Vec<[f32; 4]>,
    /// The term each occupation's `similarity` comes from (valid where it is > 0).
    similar_term: Vec<u32>,
    /// Per occupation: its share of the title's head term (see [`crate::Feature::Head`]).
    head: Vec<f32>,
    sim: SimilarityScratch,
    /// The occupations the title gave evidence (set in the arrays above).
    title_mark: Vec<bool>,
    title_touched: Vec<u32>,
    /// Per occupation, from the description: BM25 and learned scores.
    desc_scores: Vec<f32>,
    learned_scores: Vec<f32>,
    /// 0 untouched by the description, 1 touched, 2 touched and a candidate
    /// of the title too (set while ranking).
    desc_state: Vec<u8>,
    desc_touched: Vec<u32>,
    term_stamp: Vec<u32>,
    stamp: u32,
    /// Working memory of `DescriptionIndex::for_each_bigram`.
    bigrams: BigramScratch,
    title_terms: Vec<(u32, f32)>,
    restrict: Option<(u32, u32)>,
    /// The description's candidates, scored (see `Classifier::score_candidates`).
    cands: Vec<Candidate>,
    top: Vec<(u32, f32)>,
    probs: Vec<f32>,
    top_codes: Vec<(OcdCode, f32)>,
    evidence: String,
    /// The noise the cleaner removed, as the evidence ends with it.
    removed: String,
    /// The titles read (see [`memo`]), made on first use unless shared.
    memo: Option<Arc<TitleMemo>>,
    /// Postings whose title the memo held, and did not.
    memo_hits: u64,
    memo_misses: u64,
}

/// The result for one posting; borrows from the [`Scratch`].
#[derive(Clone, Copy, Debug)]
pub struct Outcome<'s> {
    /// The best occupation, `None` when unclassified.
    pub code: Option<OcdCode>,
    /// The deepest level whose confidence clears the threshold (hierarchical
    /// fallback); meaningless when unclassified.
    pub level: Level,
    /// Confidence in the code (0–1).
    pub score: f32,
    /// Confidence of the best minus that of the second best.
    pub margin: f32,
    /// How the code was decided.
    pub method: Method,
    /// The rule applied, if any.
    pub rule: Option<&'s str>,
    /// The top-k occupations with their confidences, best first.
    pub top: &'s [(OcdCode, f32)],
    /// Matched terms, rule and removed noise, for reading why.
    pub evidence: &'s str,
}

impl Classifier {
    /// Builds a classifier over the occupations of `taxonomy`, cleaning titles
    /// with the given city names and extra noise phrases.
    pub fn new(
        taxonomy: &Taxonomy,
        cities: &[String],
        noise: &[String],
        rules: RuleSet,
        options: ClassifierOptions,
    ) -> Result<Self> {
        if taxonomy.occupations().is_empty() {
            return Err(TextError::EmptyTaxonomy);
        }
        let matcher = TermMatcher::build(taxonomy)?;
        let cleaner =
            TitleCleaner::new(cities.iter().map(String::as_str), noise.iter().map(String::as_str), matcher.terms())?;
        // No user dictionary: whole names as single words would hide their parts
        // from BM25; the matcher and the similarity index handle whole terms.
        let tokenizer = Tokenizer::new(std::iter::empty());
        let index = OccupationIndex::build(taxonomy, &tokenizer, &options.bm25);
        let similar = SimilarityIndex::build(&matcher);
        let description = DescriptionIndex::build(&index, description_max_len(&options, taxonomy.occupations().len()));
        let occ = taxonomy.occupations();
        let codes = occ.iter().map(|&i| taxonomy.classes()[i].code).collect();
        let prior: Vec<f32> = occ.iter().map(|&i| (taxonomy.classes()[i].aliases.len() as f32).ln_1p()).collect();
        let weak = weak_head_weights(&index, &tokenizer, options.weak_head_weight);
        let w_prior = options.fusion.weights[Feature::Prior as usize];
        let prior_score = prior.iter().map(|p: &f32| p * w_prior).collect();
        Ok(Classifier {
            codes,
            cleaner,
            tokenizer,
            index,
            description,
            learned: None,
            matcher,
            similar,
            rules,
            prior,
            prior_score,
            weak,
            options,
        })
    }

    /// Reads descriptions also through the boards' own vocabulary learned from
    /// a corpus (`zhiye learn`). Its codes must be occupations of the taxonomy.
    pub fn set_description_model(&mut self, model: &crate::DescriptionModel) -> Result<()> {
        let mut terms: Vec<(u32, Vec<(u32, f32)>)> = Vec::new();
        for &(key, code, w) in model.entries() {
            let d = self.codes.binary_search(&code).map_err(|_| TextError::Read {
                path: model.path().map_or_else(|| "description model".into(), Into::into),
                message: format!("{code} is not an occupation of the taxonomy"),
            })?;
            match terms.last_mut() {
                Some((k, p)) if *k == key => p.push((d as u32, w)),
                _ => terms.push((key, vec![(d as u32, w)])),
            }
        }
        self.learned = Some(DescriptionIndex::from_terms(terms.iter().map(|(k, p)| (*k, p.as_slice()))));
        Ok(())
    }

    /// The occupation names and aliases the title matcher knows (normalised).
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.matcher.terms()
    }

    /// Builds a classifier from a taxonomy folder holding `csco22.csv`,
    /// `cncity.csv` and `stopwords.txt` (as `make setup` extracts them), with
    /// the rules file at `rules` if given.
    pub fn from_dir(dir: &Path, rules: Option<&Path>, options: ClassifierOptions) -> Result<(Taxonomy, Self)> {
        let taxonomy = Taxonomy::from_path(dir.join("csco22.csv"))?;
        let keep: String = taxonomy
            .classes()
            .iter()
            .flat_map(|c| [c.name.as_str(), &c.definition].into_iter().chain(c.aliases.iter().map(String::as_str)))
            .collect::<Vec<_>>()
            .join("|");
        let cities = read_cities(&dir.join("cncity.csv"), &keep)?;
        let stop = dir.join("stopwords.txt");
        let noise = std::fs::read_to_string(&stop).map_err(|source| TextError::Io { path: stop, source })?;
        let noise: Vec<String> = noise.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        let rules = match rules {
            Some(p) => RuleSet::from_path(p, &taxonomy)?,
            None => RuleSet::empty(),
        };
        let classifier = Classifier::new(&taxonomy, &cities, &noise, rules, options)?;
        Ok((taxonomy, classifier))
    }

    /// What the taxonomy alone says of a title: the one occupation whose name
    /// or alias is the whole cleaned title, with how it owns it; `None` when
    /// no occupation or several do. No rules, no ranking: `zhiye eval` uses it
    /// to measure how far a gold file agrees with the taxonomy itself.
    pub fn taxonomy_answer(&self, title: &str, s: &mut Scratch) -> Option<(OcdCode, TermSource)> {
        self.cleaner.clean_into(title, &mut s.clean);
        key_into(&s.clean.text, &mut s.key);
        let owners = self.matcher.exact(&s.key)?;
        let (first, source) = owners[0];
        owners.iter().all(|o| o.0 == first).then(|| (self.codes[first as usize], source))
    }

    /// The options in force.
    pub fn options(&self) -> &ClassifierOptions {
        &self.options
    }

    /// The occupation codes, in document order (tree order).
    pub fn codes(&self) -> &[OcdCode] {
        &self.codes
    }

    /// The title cleaner.
    pub fn cleaner(&self) -> &TitleCleaner {
        &self.cleaner
    }

    /// The rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Classifies one posting. `scratch` is reused between calls; the outcome
    /// borrows from it.
    pub fn classify<'s>(&'s self, title: &str, description: Option<&str>, s: &'s mut Scratch) -> Outcome<'s> {
        self.prepare(s);
        let capacity = self.options.title_memo;
        // Taken out, not cloned: a clone would count references on one
        // counter shared by every worker.
        let memo = s.memo.take().unwrap_or_default();
        let t = if capacity == 0 {
            Arc::new(self.read_title(title, s))
        } else {
            let (t, hit) = memo.get_or_insert_with(title, capacity, || self.read_title(title, s));
            s.memo_hits += u64::from(hit);
            s.memo_misses += u64::from(!hit);
            t
        };
        if let Some(desc) = description {
            // The summary of a title read earlier is seldom still cached:
            // its candidates are loaded now, while the description is read,
            // rather than one line at a time when they are ranked.
            // One load per 64-byte line of 8-byte candidates.
            load_all(t.docs.iter().step_by(8).map(|d| &d.0));
            self.read_description(desc, s);
        }
        let r = self.rank(s, &t);
        self.write_evidence(s, &t, r.best);
        let rule = t.rule.map(|r| self.rules.rules()[r as usize].name.as_str());
        s.memo = Some(memo);
        Outcome {
            code: r.best.map(|d| self.codes[d as usize]),
            level: r.level,
            score: r.score,
            margin: r.margin,
            method: r.method,
            rule,
            top: &s.top_codes,
            evidence: &s.evidence,
        }
    }

    /// Every candidate the classifier would rank for a posting, with its
    /// evidence as [`Fusion`](crate::Fusion) weighs it: what `zhiye fit` learns from.
    pub fn candidates(
        &self,
        title: &str,
        description: Option<&str>,
        s: &mut Scratch,
        mut f: impl FnMut(OcdCode, &[f32; FEATURES]),
    ) {
        let decided = self.gather(title, description, s);
        let norms = self.norms(s, decided);
        self.for_each_candidate(s, |d| f(self.codes[d as usize], &self.features(s, d as usize, &norms)));
    }

    /// Gathers all the evidence of a posting into `s`, none summarised.
    fn gather(&self, title: &str, description: Option<&str>, s: &mut Scratch) -> Option<(u32, Method)> {
        self.prepare(s);
        let (decided, _) = self.gather_title(title, s);
        if let Some(desc) = description {
            self.read_description(desc, s);
        }
        decided
    }

    /// The summary of a title, read from scratch; `s`'s title evidence is
    /// cleared again.
    fn read_title(&self, title: &str, s: &mut Scratch) -> TitleSummary {
        let (decided, rule) = self.gather_title(title, s);
        let t = self.summarize(s, decided, rule);
        self.clear_title(s);
        t
    }

    /// Reads a description's evidence into `s` (nothing when the description
    /// weighs 0).
    fn read_description(&self, desc: &str, s: &mut Scratch) {
        if self.options.description_weight <= 0.0 {
            return;
        }
        self.score_description(desc, s);
        if let Some(learned) = &self.learned {
            let Scratch { bigrams, learned_scores, desc_state, desc_touched, .. } = s;
            learned.for_each_bigram(desc, bigrams, |id| {
                add_postings(learned.postings(id), learned_scores, desc_state, desc_touched)
            });
        }
    }

    /// The title's evidence: the rule, the exact match and the method they
    /// decide, then matches, head terms, similarity and BM25.
    fn gather_title(&self, title: &str, s: &mut Scratch) -> (Option<(u32, Method)>, Option<u32>) {
        self.cleaner.clean_into(title, &mut s.clean);
        key_into(&s.clean.text, &mut s.key);
        s.removed.clear();
        for (i, (kind, text)) in s.clean.removed().enumerate() {
            let _ = write!(s.removed, "{}{}:{}", if i == 0 { "removed=" } else { "," }, kind.name(), text);
        }
        let rule = self.apply_rule(s);
        let mut decided = rule.filter(|&(_, decides)| decides).map(|(r, _)| {
            let d = self.doc_of(self.rules.rules()[r as usize].code);
            (d, Method::Rule)
        });
        let exact = self.exact_match(s, rule.is_some_and(|(_, decides)| decides));
        // An occupation's own name or alias outside a restricting group is more
        // specific than the group rule: the restriction is lifted.
        if let (Some((d, _)), Some((lo, hi))) = (exact, s.restrict)
            && (d < lo || d >= hi)
        {
            s.restrict = None;
        }
        if exact.is_none() && s.restrict.is_none() {
            self.group_match(s);
        }
        // An occupation's own name outranks a rule (see `exact_match`).
        decided = match exact {
            Some((d, Method::Exact)) => Some((d, Method::Exact)),
            _ => decided.or(exact),
        };
        self.term_matches(s);
        self.head_terms(s);
        self.similar_terms(s);
        self.score_title(s);
        (decided, rule.map(|(r, _)| r))
    }

    /// Readies `s` for a posting: sized for this classifier, with no
    /// evidence left from the last one.
    fn prepare(&self, s: &mut Scratch) {
        let n = self.codes.len();
        if s.title_scores.len() != n {
            *s = Scratch { title_scores: vec![0.0; n], memo: s.memo.take(), ..Scratch::default() };
            s.desc_scores = vec![0.0; n];
            s.learned_scores = vec![0.0; n];
            s.term_ev = vec![[0.0; 4]; n];
            s.similar_term = vec![0; n];
            s.head = vec![0.0; n];
            s.title_mark = vec![false; n];
            s.desc_state = vec![0; n];
        }
        if s.term_stamp.len() != self.index.terms() {
            s.term_stamp = vec![0; self.index.terms()];
            s.stamp = 0;
        }
        self.clear_title(s);
        for &d in &s.desc_touched {
            s.desc_scores[d as usize] = 0.0;
            s.desc_state[d as usize] = 0;
        }
        // Learned scores are written only when a model is loaded.
        if self.learned.is_some() {
            for &d in &s.desc_touched {
                s.learned_scores[d as usize] = 0.0;
            }
        }
        s.desc_touched.clear();
        s.evidence.clear();
        s.restrict = None;
    }

    /// Clears the title's evidence from `s`.
    fn clear_title(&self, s: &mut Scratch) {
        for &d in &s.title_touched {
            let d = d as usize;
            s.title_scores[d] = 0.0;
            s.term_ev[d] = [0.0; 4];
            s.head[d] = 0.0;
            s.title_mark[d] = false;
        }
        s.title_touched.clear();
    }

    /// Document number of an occupation code (rules are validated against the taxonomy).
    fn doc_of(&self, code: OcdCode) -> u32 {
        self.codes.binary_search(&code).map_or(0, |i| i as u32)
    }

    /// The documents within a group: a contiguous range, since codes are in tree order.
    fn group_range(&self, group: OcdCode) -> (u32, u32) {
        let lo = self.codes.partition_point(|&c| c < group);
        let hi = lo + self.codes[lo..].partition_point(|&c| c.is_within(group));
        (lo as u32, hi as u32)
    }

    /// The best rule: an occupation gets the rule bonus, a group restricts.
    fn apply_rule(&self, s: &mut Scratch) -> Option<(u32, bool)> {
        // The whole title, or else its first piece if that is a rule's exact
        // title (`销售-人工智能` sells; of several jobs the first named counts).
        let mut key = &s.key;
        if !self.rules.is_title(key)
            && let Some(first) = s.clean.pieces().next()
        {
            key_into(first, &mut s.term);
            if self.rules.is_title(&s.term) {
                key = &s.term;
            }
        }
        let brackets = s.clean.removed().filter(|(k, _)| *k == NoiseKind::Bracket).map(|(_, b)| b);
        let r = self.rules.best_match_qualified(&s.clean.text, key, brackets)?;
        let rule = &self.rules.rules()[r as usize];
        let _ = write!(s.evidence, "rule={}({}) ", rule.name, rule.code);
        if rule.decides {
            let d = self.doc_of(rule.code);
            s.term_ev[d as usize][RULE] = 1.0;
            touch(&mut s.title_mark, &mut s.title_touched, d);
        } else {
            s.restrict = Some(self.group_range(rule.code));
        }
        Some((r, rule.decides))
    }

    /// The whole cleaned title, or else its first piece, as a name or alias.
    /// Under a deciding rule an alias adds nothing: the rule follows the
    /// coding convention, which has weighed the taxonomy's aliases already
    /// (`测试工程师` is an alias of product inspection, the convention codes
    /// software testers); only an occupation's own name outranks a rule.
    fn exact_match(&self, s: &mut Scratch, rule_decides: bool) -> Option<(u32, Method)> {
        let mut owners = self.matcher.exact(&s.key);
        let mut term = &s.key;
        if owners.is_none() {
            for piece in s.clean.pieces() {
                key_into(piece, &mut s.term);
                if let Some(o) = self.matcher.exact(&s.term) {
                    owners = Some(o);
                    term = &s.term;
                    break;
                }
            }
        }
        let owners = owners?;
        let best = owners[0].1;
        let n_best = owners.iter().take_while(|o| o.1 == best).count();
        let _ = write!(s.evidence, "exact={term}({}) ", best.name());
        if rule_decides && best != TermSource::Name {
            return None;
        }
        for &(d, src) in owners {
            let share = if src == best { 1.0 } else { 0.5 };
            s.term_ev[d as usize][EXACT] += share / n_best as f32;
            touch(&mut s.title_mark, &mut s.title_touched, d);
        }
        (n_best == 1).then(|| (owners[0].0, if best == TermSource::Name { Method::Exact } else { Method::Alias }))
    }

    /// The whole cleaned title, or else a piece of it, as a group's name or
    /// alias (`销售人员`, `普工/操作工`): restricts the candidates to the group.
    fn group_match(&self, s: &mut Scratch) {
        let mut group = self.matcher.group(&s.key);
        if group.is_none() {
            for piece in s.clean.pieces() {
                key_into(piece, &mut s.term);
                group = self.matcher.group(&s.term);
                if group.is_some() {
                    break;
                }
            }
        }
        if let Some(g) = group {
            let _ = write!(s.evidence, "group={g} ");
            s.restrict = Some(self.group_range(g));
        }
    }

    /// Names and aliases inside the title, weighted by the share they cover.
    fn term_matches(&self, s: &mut Scratch) {
        let text_chars = s.key.chars().count().max(1) as f32;
        let mut first = true;
        self.matcher.for_each_match(&s.key, |term, owners| {
            let cover = (term.chars().count() as f32 / text_chars).min(1.0);
            for &(d, src) in owners {
                let w = if src == TermSource::AliasPart { 0.7 } else { 1.0 };
                s.term_ev[d as usize][MATCH] += w * cover / owners.len().min(4) as f32;
                touch(&mut s.title_mark, &mut s.title_touched, d);
            }
            s.evidence.push_str(if first { "match=" } else { "," });
            s.evidence.push_str(term);
            first = false;
        });
        if !first {
            s.evidence.push(' ');
        }
    }

    /// The head of each piece of the title: the longest name or alias the
    /// piece ends with (at least two characters), its owners sharing 1.
    fn head_terms(&self, s: &mut Scratch) {
        let mut first = true;
        let Scratch { clean, term, head, title_mark, title_touched, evidence, .. } = s;
        for piece in clean.pieces() {
            key_into(piece, term);
            let found = term
                .char_indices()
                .map(|(i, _)| &term[i..])
                .take_while(|t| t.chars().nth(1).is_some())
                .find_map(|t| self.matcher.exact(t).map(|o| (t, o)));
            let Some((t, owners)) = found else { continue };
            for &(d, _) in owners {
                let v = &mut head[d as usize];
                *v = v.max(1.0 / owners.len() as f32);
                touch(title_mark, title_touched, d);
            }
            evidence.push_str(if first { "head=" } else { "," });
            evidence.push_str(t);
            first = false;
        }
        if !first {
            evidence.push(' ');
        }
    }

    /// The best n-gram similarity of the title to each occupation's terms.
    fn similar_terms(&self, s: &mut Scratch) {
        if self.options.fusion.weights[Feature::Similarity as usize] == 0.0 {
            return;
        }
        // Letters alone are no evidence: matched one by one, `abcdefg` or an
        // English title shares enough of them with some Latin alias.
        if !s.key.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
            return;
        }
        let Scratch { key, sim, term_ev, similar_term, title_mark, title_touched, .. } = s;
        self.similar.for_each_similar(key, self.options.min_similarity, sim, |term, dice| {
            for &(d, src) in self.matcher.owners_of(term) {
                let w = if src == TermSource::AliasPart { 0.8 } else { 1.0 };
                let v = &mut term_ev[d as usize][SIMILARITY];
                if dice * w > *v {
                    *v = dice * w;
                    similar_term[d as usize] = term;
                }
                touch(title_mark, title_touched, d);
            }
        });
    }

    /// BM25F over the title's terms (and the taxonomy's words for its board
    /// words), each counted once.
    fn score_title(&self, s: &mut Scratch) {
        s.text.clear();
        s.text.push_str(&s.clean.text);
        self.rules.expand_synonyms(&s.clean.text, &mut s.text);
        s.stamp += 1;
        s.title_terms.clear();
        let Scratch { clean, text, term, term_stamp, stamp, title_terms, .. } = s;
        let mut add = |t: &str, q: f32| {
            if let Some(id) = self.index.term_id(t)
                && term_stamp[id as usize] != *stamp
            {
                term_stamp[id as usize] = *stamp;
                title_terms.push((id, q * self.weak[id as usize]));
            }
        };
        self.tokenizer.for_each_term(text, term, |t, _| add(t, 1.0));
        // Brackets often qualify the job (`（数据方向）`, `普工（仪表工）`):
        // their words count, less than the title's own.
        let q = self.options.bracket_weight;
        if q > 0.0 {
            for (_, b) in clean.removed().filter(|(k, _)| *k == NoiseKind::Bracket) {
                self.tokenizer.for_each_term(b, term, |t, _| add(t, q));
            }
        }
        for &(id, q) in &s.title_terms {
            for &(d, w) in self.index.postings(id) {
                s.title_scores[d as usize] += q * w;
                touch(&mut s.title_mark, &mut s.title_touched, d);
            }
        }
    }

    fn score_description(&self, desc: &str, s: &mut Scratch) {
        let Scratch { text, term, term_stamp, stamp, bigrams, desc_scores, desc_state, desc_touched, .. } = s;
        let mut add = |postings: &[(u32, f32)]| add_postings(postings, desc_scores, desc_state, desc_touched);
        match self.options.description_terms {
            DescriptionTerms::WordsAndBigrams => {
                let max_len = description_max_len(&self.options, self.codes.len());
                text.clear();
                normalize_into(desc, text);
                *stamp += 1;
                self.tokenizer.for_each_term(text, term, |t, _| {
                    if let Some(id) = self.index.term_id(t)
                        && term_stamp[id as usize] != *stamp
                    {
                        term_stamp[id as usize] = *stamp;
                        let postings = self.index.postings(id);
                        if postings.len() <= max_len {
                            add(postings);
                        }
                    }
                })
            }
            DescriptionTerms::Bigrams => {
                self.description.for_each_bigram(desc, bigrams, |id| add(self.description.postings(id)))
            }
        }
    }
}

/// Description terms held by more occupations than this are skipped.
fn description_max_len(options: &ClassifierOptions, occupations: usize) -> usize {
    ((options.description_max_df * occupations as f32).ceil() as usize).max(1)
}

/// Query weight per index term: `weak` for the words of [`WEAK_HEADS`] and
/// their bigrams, 1 otherwise.
fn weak_head_weights(index: &OccupationIndex, tokenizer: &Tokenizer, weak: f32) -> Vec<f32> {
    let mut w = vec![1.0; index.terms()];
    let mut key = String::new();
    for head in WEAK_HEADS {
        tokenizer.for_each_term(head, &mut key, |t, _| {
            if let Some(id) = index.term_id(t) {
                w[id as usize] = weak;
            }
        });
    }
    w
}

impl Scratch {
    /// A fresh scratch; buffers grow on first use.
    pub fn new() -> Scratch {
        Scratch::default()
    }

    /// A fresh scratch whose title summaries are kept in `memo`, with every
    /// other scratch that shares it: each title is then read once for all.
    pub fn sharing(memo: &Arc<TitleMemo>) -> Scratch {
        Scratch { memo: Some(Arc::clone(memo)), ..Scratch::default() }
    }

    /// What this scratch's title lookups found (see
    /// [`ClassifierOptions::title_memo`]); `titles` counts its memo's, shared
    /// or not.
    pub fn memo_stats(&self) -> MemoStats {
        let titles = self.memo.as_ref().map_or(0, |m| m.titles());
        MemoStats { hits: self.memo_hits, misses: self.memo_misses, titles }
    }
}

/// Adds a term's postings to `scores`, marking the documents touched (state
/// 1). A function rather than a closure so the slices are known not to
/// alias. Branch-free: whether a document is new is as likely as not, so the
/// list takes every document and keeps the new ones by advancing its length.
#[inline]
fn add_postings(postings: &[(u32, f32)], scores: &mut [f32], state: &mut [u8], touched: &mut Vec<u32>) {
    let mut len = touched.len();
    touched.resize(len + postings.len(), 0);
    for &(d, w) in postings {
        scores[d as usize] += w;
        touched[len] = d;
        len += usize::from(state[d as usize] == 0);
        state[d as usize] = 1;
    }
    touched.truncate(len);
}

#[inline]
fn touch(mark: &mut [bool], touched: &mut Vec<u32>, d: u32) {
    if !mark[d as usize] {
        mark[d as usize] = true;
        touched.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{is_han, normalize};
    use crate::test_data::real_dir;

    /// The real taxonomy and a classifier on it (see [`real_dir`]).
    pub(super) fn real() -> Option<(Taxonomy, Classifier)> {
        real_dir().map(|dir| Classifier::from_dir(&dir, None, ClassifierOptions::default()).unwrap())
    }

    /// Description scores the plain way: normalise, look every bigram up in
    /// the general index, count each once, skip the common ones.
    fn naive_description_scores(c: &Classifier, desc: &str) -> Vec<f32> {
        let mut scores = vec![0.0; c.codes.len()];
        let max_len = description_max_len(&c.options, c.codes.len());
        let mut seen = std::collections::HashSet::new();
        let chars: Vec<char> = normalize(desc).chars().collect();
        for w in chars.windows(2) {
            if let (true, Some(id)) = (is_han(w[0]) && is_han(w[1]), c.index.bigram_id(w[0], w[1]))
                && seen.insert(id)
                && c.index.postings(id).len() <= max_len
            {
                for &(d, x) in c.index.postings(id) {
                    scores[d as usize] += x;
                }
            }
        }
        scores
    }

    /// The city names kept are those of a plain search of the taxonomy text
    /// for each name, in file order.
    #[test]
    fn cities_in_the_taxonomy_text_are_dropped_as_a_plain_search_drops_them() {
        let Some(dir) = real_dir() else { return };
        let taxonomy = Taxonomy::from_path(dir.join("csco22.csv")).unwrap();
        let keep: String = taxonomy.classes().iter().map(|c| format!("{}|{}", c.name, c.definition)).collect();
        let all = read_cities(&dir.join("cncity.csv"), "").unwrap();
        let plain: Vec<&String> = all.iter().filter(|n| !keep.contains(n.as_str())).collect();
        let got = read_cities(&dir.join("cncity.csv"), &keep).unwrap();
        assert!(plain.len() < all.len() && plain.len() > 1000, "{} of {}", plain.len(), all.len());
        assert_eq!(got.iter().collect::<Vec<_>>(), plain);
    }

    #[test]
    fn description_table_scores_as_the_general_index() {
        let Some((taxonomy, c)) = real() else { return };
        let mut s = Scratch::new();
        let mut checked = 0;
        for (i, class) in taxonomy.classes().iter().enumerate().step_by(7) {
            // Definitions and tasks, with full-width, Latin and punctuation mixed in.
            let desc = format!(
                "{}（ＡＩ岗位）{}，{}",
                class.definition,
                class.tasks.join("；"),
                taxonomy.classes()[i / 2].name
            );
            c.classify("专员", Some(&desc), &mut s);
            let want = naive_description_scores(&c, &desc);
            // The same bigrams, added in table order rather than text order:
            // equal up to rounding, and zero exactly where the plain way is.
            for (d, (&got, &want)) in s.desc_scores.iter().zip(&want).enumerate() {
                assert!(
                    (got == 0.0) == (want == 0.0) && (got - want).abs() <= 1e-5 * want,
                    "{d}: {got} vs {want}, {desc}"
                );
            }
            checked += want.iter().any(|&x| x > 0.0) as usize;
        }
        assert!(checked > 100, "only {checked} descriptions scored");
    }
}
