//! Ranking: the evidence gathered by [`Classifier::classify`] becomes the top
//! k candidates, their confidences, the trusted level, the method and the
//! evidence string.

use std::fmt::Write as _;

use zhiye_core::Level;

use super::{Classifier, Outcome, Scratch};
use crate::confidence::{probabilities, trusted_level};
use crate::options::Method;

impl Classifier {
    pub(crate) fn rank<'s>(
        &'s self,
        s: &'s mut Scratch,
        decided: Option<(u32, Method)>,
        rule: Option<u32>,
    ) -> Outcome<'s> {
        let o = &self.options;
        let (mut tmax, mut dmax) = (0.0f32, 0.0f32);
        for &d in &s.touched {
            // Plain comparisons, not f32::max: no NaN can occur, and two
            // independent chains run in parallel.
            let (t, x) = (s.title_scores[d as usize], s.desc_scores[d as usize]);
            if t > tmax {
                tmax = t;
            }
            if x > dmax {
                dmax = x;
            }
        }
        let tnorm = if tmax > 0.0 { 1.0 / tmax } else { 0.0 };
        let dnorm = if dmax > 0.0 { o.description_weight / dmax } else { 0.0 };
        let (lo, hi) = s.restrict.unwrap_or((0, self.codes.len() as u32));
        let k = o.top_k.max(2);
        s.top.clear();
        for &d in &s.touched {
            if d < lo || d >= hi {
                continue;
            }
            let i = d as usize;
            let evidence = s.bonus[i]
                + o.similarity_bonus * s.similarity[i]
                + s.title_scores[i] * tnorm
                + s.desc_scores[i] * dnorm;
            if evidence > 0.0 {
                push_top(&mut s.top, k, d, evidence + o.prior_weight * self.prior[i]);
            }
        }
        // A group rule with no evidence inside the group: rank the group by prior;
        // the confidence then stays at the group's level.
        if s.top.is_empty() && s.restrict.is_some() {
            for d in lo..hi {
                push_top(&mut s.top, k, d, o.prior_weight * self.prior[d as usize]);
            }
        }
        self.finish_evidence(s);
        let rule_name = rule.map(|r| self.rules.rules()[r as usize].name.as_str());
        let Some(&(best, _)) = s.top.first() else {
            let evidence = &s.evidence;
            return Outcome {
                code: None,
                level: Level::Large,
                score: 0.0,
                margin: 0.0,
                method: Method::Unclassified,
                rule: rule_name,
                top: &[],
                evidence,
            };
        };
        probabilities(s.top.iter().map(|t| t.1), o.confidence_sharpness, o.none_score, &mut s.probs);
        s.top.truncate(o.top_k);
        s.probs.truncate(o.top_k);
        s.top_codes.clear();
        s.top_codes.extend(s.top.iter().zip(&s.probs).map(|(&(d, _), &p)| (self.codes[d as usize], p)));
        let (level, _) = trusted_level(&s.top_codes, o.level_threshold);
        let score = s.probs[0];
        let margin = score - s.probs.get(1).copied().unwrap_or(0.0);
        let method = match decided {
            Some((d, m)) if d == best => m,
            _ if level != Level::Fine => Method::Fallback,
            _ => Method::Bm25,
        };
        Outcome {
            code: Some(self.codes[best as usize]),
            level,
            score,
            margin,
            method,
            rule: rule_name,
            top: &s.top_codes,
            evidence: &s.evidence,
        }
    }

    fn finish_evidence(&self, s: &mut Scratch) {
        if let Some(&(best, _)) = s.top.first() {
            let sim = s.similarity[best as usize];
            if sim > 0.0 {
                let term = self.matcher.term(s.similar_term[best as usize]);
                let _ = write!(s.evidence, "similar={term}({sim:.2}) ");
            }
            let mut first = true;
            for &(id, _) in &s.title_terms {
                if self.index.postings(id).binary_search_by_key(&best, |&(d, _)| d).is_ok() {
                    s.evidence.push_str(if first { "terms=" } else { "," });
                    s.evidence.push_str(self.index.term_name(id).trim_start_matches('\u{1}'));
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

/// Keeps the `k` best (document, score) pairs, ties broken by document order.
#[inline]
fn push_top(top: &mut Vec<(u32, f32)>, k: usize, d: u32, score: f32) {
    // Most candidates lose to the k-th: one comparison, no search.
    if top.len() == k
        && let Some(&(e, es)) = top.last()
        && (score < es || (score == es && d > e))
    {
        return;
    }
    let pos = top.partition_point(|&(e, es)| es > score || (es == score && e < d));
    if pos < k {
        if top.len() == k {
            top.pop();
        }
        top.insert(pos, (d, score));
    }
}
