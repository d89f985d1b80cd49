//! Ranking: the evidence gathered by [`Classifier::classify`] becomes the top
//! k candidates, their confidences, the trusted level, the method and the
//! evidence string.

use std::fmt::Write as _;

use zhiye_core::Level;

use super::{Classifier, Outcome, Scratch};
use crate::confidence::trusted_level;
use crate::fusion::{FEATURES, Feature};
use crate::options::Method;

/// Per-posting normalisers of the evidence (see [`Classifier::norms`]).
pub(crate) struct Norms {
    /// 1 / the best title BM25 (0 when none).
    title: f32,
    /// `description_weight` / the best description BM25 (0 when none).
    description: f32,
    /// `description_weight` / the best learned description score (0 when none).
    learned: f32,
    /// 1 when the title is weak: no rule or exact term decided it and no
    /// occupation's term is close to it.
    weak_title: f32,
    /// The occupation a deciding rule names: the rule follows the coding
    /// convention, which has weighed the taxonomy's terms, so other
    /// occupations keep no term evidence (exact, match, similarity).
    ruled: Option<u32>,
}

/// The fusion's weights times a posting's normalisers.
pub(crate) struct Coefficients {
    /// Exact, match, similarity and head: zero for all but the named
    /// occupation under a deciding rule.
    terms: [f32; 4],
    rule: f32,
    title: f32,
    description: f32,
    learned: f32,
}

/// A title whose best n-gram similarity to any term is below this, with no
/// rule or exact term, is weak: its description may overrule it.
const WEAK_SIMILARITY: f32 = 0.5;

impl Classifier {
    /// The normalisers of the evidence gathered in `s`.
    pub(crate) fn norms(&self, s: &Scratch, decided: Option<(u32, Method)>) -> Norms {
        let (mut tmax, mut dmax, mut smax) = (0.0f32, 0.0f32, 0.0f32);
        for &d in &s.touched {
            // Plain comparisons, not f32::max: no NaN can occur, and the
            // independent chains run in parallel.
            let d = d as usize;
            let (t, x, m) = (s.title_scores[d], s.desc_scores[d], s.term_ev[d][3]);
            if t > tmax {
                tmax = t;
            }
            if x > dmax {
                dmax = x;
            }
            if m > smax {
                smax = m;
            }
        }
        // Learned scores exist only with a model: no pass over them otherwise.
        let lmax = if self.learned.is_some() {
            s.touched.iter().map(|&d| s.learned_scores[d as usize]).fold(0.0, f32::max)
        } else {
            0.0
        };
        Norms {
            title: if tmax > 0.0 { 1.0 / tmax } else { 0.0 },
            description: if dmax > 0.0 { self.options.description_weight / dmax } else { 0.0 },
            learned: if lmax > 0.0 { self.options.description_weight / lmax } else { 0.0 },
            weak_title: f32::from(u8::from(decided.is_none() && smax < WEAK_SIMILARITY)),
            ruled: decided.filter(|d| d.1 == Method::Rule).map(|d| d.0),
        }
    }

    /// The fusion's weights folded into this posting's normalisers, for
    /// [`Classifier::score`].
    fn coefficients(&self, n: &Norms) -> Coefficients {
        let w = &self.options.fusion.weights;
        let at = |f: Feature| w[f as usize];
        Coefficients {
            terms: [at(Feature::Exact), at(Feature::Match), at(Feature::Similarity), at(Feature::Head)],
            rule: at(Feature::Rule),
            title: at(Feature::Title) * n.title,
            description: n.description * (at(Feature::Description) + at(Feature::DescriptionWeakTitle) * n.weak_title),
            learned: n.learned * (at(Feature::Learned) + at(Feature::LearnedWeakTitle) * n.weak_title),
        }
    }

    /// The fused score of occupation `d`: `Fusion::score` of its
    /// [`features`](Classifier::features) (equal up to rounding, see the
    /// test), without building them: a thousand candidates per posting is
    /// common with a description.
    #[inline]
    fn score(&self, s: &Scratch, d: usize, n: &Norms, c: &Coefficients) -> f32 {
        let [rule, exact, matched, similarity] = s.term_ev[d];
        let mut x = self.prior_score[d] + c.title * s.title_scores[d] + c.description * s.desc_scores[d];
        if rule != 0.0 || n.ruled.is_none_or(|r| r as usize == d) {
            x += c.rule * rule
                + c.terms[0] * exact
                + c.terms[1] * matched
                + c.terms[2] * similarity
                + c.terms[3] * s.head[d];
        }
        if c.learned != 0.0 {
            x += c.learned * s.learned_scores[d];
        }
        x
    }

    /// The evidence of occupation `d` (see [`Feature`](crate::Feature)).
    #[inline]
    pub(crate) fn features(&self, s: &Scratch, d: usize, n: &Norms) -> [f32; FEATURES] {
        let desc = s.desc_scores[d] * n.description;
        let learned = if n.learned > 0.0 { s.learned_scores[d] * n.learned } else { 0.0 };
        let terms = f32::from(u8::from(n.ruled.is_none_or(|r| r as usize == d)));
        let [rule, exact, matched, similarity] = s.term_ev[d];
        [
            rule,
            exact * terms,
            matched * terms,
            similarity * terms,
            s.head[d] * terms,
            s.title_scores[d] * n.title,
            desc,
            desc * n.weak_title,
            self.prior[d],
            learned,
            learned * n.weak_title,
        ]
    }

    /// Calls `f` with every candidate: the occupations with evidence inside
    /// the restriction, or, under a group rule with no evidence inside the
    /// group, the whole group (then only their prior speaks: nothing else is
    /// set for an untouched occupation).
    #[inline]
    pub(crate) fn for_each_candidate(&self, s: &Scratch, mut f: impl FnMut(u32)) {
        let (lo, hi) = s.restrict.unwrap_or((0, self.codes.len() as u32));
        let mut any = false;
        for &d in &s.touched {
            if d >= lo && d < hi {
                f(d);
                any = true;
            }
        }
        if !any && s.restrict.is_some() {
            (lo..hi).for_each(f);
        }
    }

    pub(crate) fn rank<'s>(
        &'s self,
        s: &'s mut Scratch,
        decided: Option<(u32, Method)>,
        rule: Option<u32>,
    ) -> Outcome<'s> {
        let o = &self.options;
        let norms = self.norms(s, decided);
        let k = o.top_k.max(2);
        let mut top = std::mem::take(&mut s.top);
        let mut scores = std::mem::take(&mut s.scores);
        top.clear();
        scores.clear();
        let c = self.coefficients(&norms);
        self.for_each_candidate(s, |d| {
            let x = self.score(s, d as usize, &norms, &c);
            scores.push(x);
            push_top(&mut top, k, d, x);
        });
        // The softmax runs over every candidate and "none", as `zhiye fit`
        // fitted it; its normaliser is summed in a second pass, which
        // vectorises (a thousand candidates is common with a description).
        let m = scores.iter().copied().fold(o.fusion.none, f32::max);
        let z = scores.iter().map(|&x| fast_exp(x - m)).sum::<f32>() + fast_exp(o.fusion.none - m);
        s.top = top;
        s.scores = scores;
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
        s.probs.clear();
        s.probs.extend(s.top.iter().map(|&(_, x)| fast_exp(x - m) / z));
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
            let sim = s.term_ev[best as usize][3];
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
        s.evidence.push_str(&s.removed);
        let trimmed = s.evidence.trim_end().len();
        s.evidence.truncate(trimmed);
    }
}

/// e^x for -80 <= x <= 80, to a relative error below 2e-5 (clamped below): 2^(x log2 e)
/// as an exponent and a degree-6 polynomial of the fraction. The softmax
/// normaliser takes one per candidate, often a thousand per posting.
#[inline]
fn fast_exp(x: f32) -> f32 {
    let t = x.clamp(-80.0, 80.0) * std::f32::consts::LOG2_E;
    // floor(t) without a libm call, so that the loop vectorises.
    let truncated = t as i32;
    let below = i32::from(t < truncated as f32);
    let i = truncated - below;
    let f = t - i as f32;
    // 2^f on [0, 1): Taylor terms of e^(f ln 2).
    let p = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_13 + f * (0.001_333_36 + f * 0.000_154_04)))));
    f32::from_bits(((i + 127) << 23) as u32) * p
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

#[cfg(test)]
mod tests {
    use super::fast_exp;

    /// The folded score of every candidate agrees with the fusion's score of
    /// its features (the fitted model), on real titles and descriptions.
    #[test]
    fn folded_scores_equal_the_fusion_of_the_features() {
        let Some((_, c)) = super::super::tests::real() else { return };
        let mut s = super::Scratch::new();
        let postings = [
            ("Java开发工程师", "负责后端服务的设计与编码，编写单元测试"),
            ("招聘普工（包吃住）", "流水线操作，产品包装，服从车间安排"),
            ("精神科护工", ""),
            ("销售-人工智能", "开发客户，推销公司人工智能产品，维护客户关系"),
            ("老师", "负责小学数学课程的讲授"),
            ("", "负责仓库货物的收发与盘点"),
        ];
        let mut checked = 0;
        for (title, desc) in postings {
            let (decided, _) = c.gather(title, Some(desc), &mut s);
            let n = c.norms(&s, decided);
            let k = c.coefficients(&n);
            c.for_each_candidate(&s, |d| {
                let want = c.options.fusion.score(&c.features(&s, d as usize, &n));
                let got = c.score(&s, d as usize, &n, &k);
                assert!((want - got).abs() <= 1e-5 * want.abs().max(1.0), "{title} {d}: {got} vs {want}");
                checked += 1;
            });
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn fast_exp_matches_exp() {
        let mut x = -80.0f32;
        while x <= 80.0 {
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 2e-5 * b + 1e-30, "{x}: {a} vs {b}");
            x += 0.013;
        }
    }
}
