//! [`TitleSummary`]: what a title alone adds to the score of each candidate,
//! computed once per distinct title.
//!
//! A candidate's fused score is a sum of the title's terms (rule, exact,
//! match, similarity, head, title BM25, prior) and the description's
//! (description and learned BM25, each normalised by the posting's best and
//! weighted by whether the title is weak). Every title term and the weak
//! flag depend on the title alone, so a title is summarised by its
//! candidates' title scores `a`, best first, and the sum of `e^(a − a₀)` over
//! them. A posting then ranks only the candidates its description touches
//! (about a hundred) against the summary, instead of every candidate of title
//! and description again (about 250). A summary holds 182 candidates of 8
//! bytes on average over the distinct board-like titles (the evidence it
//! replaces took 32 bytes a candidate).

use std::fmt::Write as _;

use super::rank::fast_exp;
use super::{Classifier, SIMILARITY, Scratch};
use crate::options::Method;

/// A title's share of every candidate's score (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TitleSummary {
    /// The title's candidates inside the restriction, with their title
    /// scores, best first and ties in document order.
    pub docs: Box<[(u32, f32)]>,
    /// Σ e^(a − a₀) over `docs`, a₀ the best score.
    pub sum: f32,
    /// What the evidence says of a candidate when it is the best, by
    /// document, for the candidates a description could make the best and
    /// that have something to say; none for the others. Kept as numbers
    /// and written only for a posting's best (`write_evidence`): most are
    /// never written.
    pub best_evidence: Box<[BestEvidence]>,
    /// The title's index terms each [`BestEvidence`] holds, one after the other.
    pub held_terms: Box<[u32]>,
    /// No rule or exact term decided the title and no term is close to it:
    /// its description may overrule it (see [`crate::Feature::DescriptionWeakTitle`]).
    pub weak_title: bool,
    pub decided: Option<(u32, Method)>,
    pub rule: Option<u32>,
    /// The group a rule or a group term restricts the candidates to.
    pub restrict: Option<(u32, u32)>,
    /// The evidence text written while reading the title.
    pub evidence: Box<str>,
    /// The noise the cleaner removed, as the evidence ends with it.
    pub removed: Box<str>,
}

/// What the evidence adds when a candidate is the best: the term it is
/// similar to and the title's index terms it holds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BestEvidence {
    pub doc: u32,
    /// The similar term and its similarity (0: none).
    similar: (u32, f32),
    /// Where its terms are in the summary's `held_terms`, and how many.
    held: (u32, u32),
}

impl Classifier {
    /// The [`BestEvidence`] of `d`, its held terms pushed to `held`; `None`
    /// when it has nothing to say.
    fn best_evidence(&self, s: &Scratch, d: u32, held: &mut Vec<u32>) -> Option<BestEvidence> {
        let start = held.len();
        for &(id, _) in &s.title_terms {
            if self.index.postings(id).binary_search_by_key(&d, |&(d, _)| d).is_ok() {
                held.push(id);
            }
        }
        let sim = s.term_ev[d as usize][SIMILARITY];
        let similar = (s.similar_term[d as usize], sim.max(0.0));
        let held = (start as u32, (held.len() - start) as u32);
        (sim > 0.0 || held.1 > 0).then_some(BestEvidence { doc: d, similar, held })
    }

    /// Writes `b` to `e` as `similar=<term>(<dice>) terms=<a>,<b> `.
    pub(crate) fn write_best_evidence(&self, e: &mut String, t: &TitleSummary, b: &BestEvidence) {
        let (term, sim) = b.similar;
        if sim > 0.0 {
            let _ = write!(e, "similar={}({sim:.2}) ", self.matcher.term(term));
        }
        let (start, len) = (b.held.0 as usize, b.held.1 as usize);
        for (i, &id) in t.held_terms[start..start + len].iter().enumerate() {
            e.push_str(if i == 0 { "terms=" } else { "," });
            e.push_str(self.index.term_name(id).trim_start_matches('\u{1}'));
        }
        if len > 0 {
            e.push(' ');
        }
    }

    /// Summarises the title evidence [`Classifier::gather_title`] left in `s`
    /// (the description is not read yet: its features are zero).
    pub(crate) fn summarize(&self, s: &Scratch, decided: Option<(u32, Method)>, rule: Option<u32>) -> TitleSummary {
        let norms = self.norms(s, decided);
        let fusion = &self.options.fusion;
        let (lo, hi) = s.restrict.unwrap_or((0, self.codes.len() as u32));
        // Sorted as one integer each: comparing (score, document) pairs took
        // 43% of a summary's time (perf, board-like titles).
        let mut keys = Vec::with_capacity(s.title_touched.len());
        for &d in s.title_touched.iter().filter(|&&d| d >= lo && d < hi) {
            keys.push(rank_key(fusion.score(&self.features(s, d as usize, &norms)), d));
        }
        keys.sort_unstable();
        let docs: Vec<(u32, f32)> = keys.into_iter().map(from_rank_key).collect();
        let sum = docs.first().map_or(0.0, |&(_, a0)| docs.iter().map(|&(_, a)| fast_exp(a - a0)).sum());
        // Only a candidate the description can lift to the top needs its
        // evidence: the description adds at most its weights to a score (its
        // scores are divided by the posting's best).
        let weak_title = norms.weak_title();
        let (plain, learned) = self.description_weights(weak_title);
        let floor = docs.first().map_or(0.0, |&(_, a0)| a0 - plain.max(0.0) - learned.max(0.0) - 1e-3);
        let mut held = Vec::new();
        let mut best_evidence: Vec<BestEvidence> = (docs.iter())
            .take_while(|&&(_, a)| a >= floor)
            .filter_map(|&(d, _)| self.best_evidence(s, d, &mut held))
            .collect();
        best_evidence.sort_unstable_by_key(|b| b.doc);
        TitleSummary {
            docs: docs.into(),
            sum,
            best_evidence: best_evidence.into(),
            held_terms: held.into(),
            weak_title,
            decided,
            rule,
            restrict: s.restrict,
            evidence: s.evidence.as_str().into(),
            removed: s.removed.as_str().into(),
        }
    }
}

/// Packs a candidate's score `a` and document `d` into one integer whose
/// ascending order is best first, ties in document order: score descending
/// as `f32::total_cmp` orders it, then document ascending.
#[inline]
fn rank_key(a: f32, d: u32) -> u64 {
    (u64::from(!total_order_bits(a)) << 32) | u64::from(d)
}

/// The (document, score) a [`rank_key`] packs.
#[inline]
fn from_rank_key(key: u64) -> (u32, f32) {
    let ordered = !((key >> 32) as u32);
    // The map of `total_order_bits` undoes itself once the sign bit is back.
    (key as u32, f32::from_bits(total_order_bits(f32::from_bits(ordered ^ 0x8000_0000)) ^ 0x8000_0000))
}

/// `a`'s bits, mapped so that unsigned order is `f32::total_cmp`'s: the
/// magnitude bits of negatives flipped (as `total_cmp` does), then the sign
/// bit flipped (signed order to unsigned).
#[inline]
fn total_order_bits(a: f32) -> u32 {
    let bits = a.to_bits();
    (bits ^ (((bits as i32) >> 31) as u32 >> 1)) ^ 0x8000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorting the keys orders (document, score) pairs as a comparison of
    /// scores by `total_cmp`, best first, then of documents does, and every
    /// pair comes back bit for bit.
    #[test]
    fn rank_keys_sort_as_the_pairs_do() {
        let scores = [
            0.0,
            -0.0,
            1.5,
            -1.5,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            1e-40,
            -1e-40,
            f32::MAX,
            f32::MIN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            3.25,
            -7.0,
        ];
        let mut pairs: Vec<(u32, f32)> = Vec::new();
        for (i, &a) in scores.iter().enumerate() {
            for d in [0, 7, u32::MAX, i as u32] {
                pairs.push((d, a));
            }
        }
        for &(d, a) in &pairs {
            let (d2, a2) = from_rank_key(rank_key(a, d));
            assert_eq!((d2, a2.to_bits()), (d, a.to_bits()));
        }
        let mut want = pairs.clone();
        want.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let mut keys: Vec<u64> = pairs.iter().map(|&(d, a)| rank_key(a, d)).collect();
        keys.sort_unstable();
        let got: Vec<(u32, f32)> = keys.into_iter().map(from_rank_key).collect();
        let bits = |v: &[(u32, f32)]| v.iter().map(|&(d, a)| (d, a.to_bits())).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&want));
    }
}
