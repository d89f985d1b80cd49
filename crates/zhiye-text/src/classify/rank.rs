//! Ranking: a title's [`TitleSummary`] and the description's evidence become
//! the top k candidates, their confidences, the trusted level, the method and
//! the evidence string; and the features of every candidate, for `zhiye fit`.

use zhiye_core::Level;

use super::summary::TitleSummary;
use super::{Classifier, SIMILARITY, Scratch};
use crate::confidence::trusted_level;
use crate::fusion::{FEATURES, Feature};
use crate::options::Method;

/// Per-posting normalisers of the evidence, for [`Classifier::features`].
pub(crate) struct Norms {
    /// 1 / the best title BM25 (0 when none).
    title: f32,
    /// `description_weight` / the best description BM25 (0 when none).
    description: f32,
    /// `description_weight` / the best learned description score (0 when none).
    learned: f32,
    /// 1 when the title is weak (see [`WEAK_SIMILARITY`]).
    weak_title: f32,
    /// The occupation a deciding rule names: the rule follows the coding
    /// convention, which has weighed the taxonomy's terms, so other
    /// occupations keep no term evidence (exact, match, similarity).
    ruled: Option<u32>,
}

/// A title whose best n-gram similarity to any term is below this, with no
/// rule or exact term, is weak: its description may overrule it.
const WEAK_SIMILARITY: f32 = 0.5;

impl Norms {
    /// Whether the title is weak (see [`WEAK_SIMILARITY`]).
    pub(crate) fn weak_title(&self) -> bool {
        self.weak_title > 0.0
    }
}

/// What [`Classifier::rank`] found.
pub(crate) struct Ranked {
    /// The best candidate, `None` when there is none.
    pub best: Option<u32>,
    pub level: Level,
    pub score: f32,
    pub margin: f32,
    pub method: Method,
}

/// A description candidate: (document, score, its title score or −∞ when the
/// title gave it nothing).
pub(crate) type Candidate = (u32, f32, f32);

impl Classifier {
    /// The normalisers of the evidence gathered in `s`.
    pub(crate) fn norms(&self, s: &Scratch, decided: Option<(u32, Method)>) -> Norms {
        let max = |v: &[f32], docs: &[u32]| docs.iter().map(|&d| v[d as usize]).fold(0.0, f32::max);
        let tmax = max(&s.title_scores, &s.title_touched);
        let smax = s.title_touched.iter().map(|&d| s.term_ev[d as usize][SIMILARITY]).fold(0.0, f32::max);
        let (dmax, lmax) = self.description_maxima(s);
        Norms {
            title: if tmax > 0.0 { 1.0 / tmax } else { 0.0 },
            description: if dmax > 0.0 { self.options.description_weight / dmax } else { 0.0 },
            learned: if lmax > 0.0 { self.options.description_weight / lmax } else { 0.0 },
            weak_title: f32::from(u8::from(decided.is_none() && smax < WEAK_SIMILARITY)),
            ruled: decided.filter(|d| d.1 == Method::Rule).map(|d| d.0),
        }
    }

    /// The best description and learned scores of the posting in `s`.
    fn description_maxima(&self, s: &Scratch) -> (f32, f32) {
        // Plain comparisons, not f32::max: no NaN can occur, and the loop
        // vectorises.
        let mut dmax = 0.0f32;
        for &d in &s.desc_touched {
            let x = s.desc_scores[d as usize];
            if x > dmax {
                dmax = x;
            }
        }
        // Learned scores exist only with a model: no pass over them otherwise.
        let lmax = if self.learned.is_some() {
            s.desc_touched.iter().map(|&d| s.learned_scores[d as usize]).fold(0.0, f32::max)
        } else {
            0.0
        };
        (dmax, lmax)
    }

    /// The fusion's weights of the description's and the learned scores,
    /// each divided by its posting's best: the most either adds to a score.
    pub(crate) fn description_weights(&self, weak_title: bool) -> (f32, f32) {
        let w = &self.options.fusion.weights;
        let weak = f32::from(u8::from(weak_title));
        let at = |plain: Feature, weak_feature: Feature| {
            self.options.description_weight * (w[plain as usize] + w[weak_feature as usize] * weak)
        };
        (at(Feature::Description, Feature::DescriptionWeakTitle), at(Feature::Learned, Feature::LearnedWeakTitle))
    }

    /// The coefficients of this posting's description and learned scores:
    /// each score times its coefficient is its part of the fused score (see
    /// [`Classifier::features`]).
    fn description_coefficients(&self, s: &Scratch, weak_title: bool) -> (f32, f32) {
        let (dmax, lmax) = self.description_maxima(s);
        let (plain, learned) = self.description_weights(weak_title);
        let per = |weight: f32, max: f32| if max > 0.0 { weight / max } else { 0.0 };
        (per(plain, dmax), per(learned, lmax))
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

    /// Calls `f` with every candidate of the evidence gathered in full in
    /// `s`: the occupations with evidence inside the restriction, or, under
    /// a group rule with no evidence inside the group, the whole group (then
    /// only their prior speaks: nothing else is set for an untouched
    /// occupation).
    pub(crate) fn for_each_candidate(&self, s: &Scratch, mut f: impl FnMut(u32)) {
        let (lo, hi) = s.restrict.unwrap_or((0, self.codes.len() as u32));
        let mut any = false;
        let title = s.title_touched.iter();
        let description = s.desc_touched.iter().filter(|&&d| !s.title_mark[d as usize]);
        for &d in title.chain(description) {
            if d >= lo && d < hi {
                f(d);
                any = true;
            }
        }
        if !any && s.restrict.is_some() {
            (lo..hi).for_each(f);
        }
    }

    /// Scores the candidates the description touched against the title's
    /// summary into `s.cands` (and, under a group rule with no evidence in
    /// the group, the group), and marks the title's own among them (state 2).
    /// The title's other candidates score their title score. Returns the
    /// softmax's maximum and normaliser over every candidate and "none".
    pub(crate) fn score_candidates(&self, s: &mut Scratch, t: &TitleSummary) -> (f32, f32) {
        let (beta, gamma) = self.description_coefficients(s, t.weak_title);
        let (lo, hi) = t.restrict.unwrap_or((0, self.codes.len() as u32));
        let Scratch { desc_state, desc_scores, learned_scores, desc_touched, cands, .. } = s;
        // Slices, not the vectors: their lengths stay in registers through
        // the loops, which write `cands`.
        let (desc_state, desc_scores, learned_scores) = (&mut desc_state[..], &desc_scores[..], &learned_scores[..]);
        cands.clear();
        // The candidates of the title come first in `cands`, then those of
        // the description alone.
        let mut title_len = 0;
        let extra = |d: usize| {
            let x = beta * desc_scores[d];
            if gamma != 0.0 { x + gamma * learned_scores[d] } else { x }
        };
        if !desc_touched.is_empty() {
            // Branch-free, as whether a candidate is the other's too is as
            // likely as not: every one is written, and the length advances
            // over those kept. The title's own go from state 1 to 2.
            let mut len = 0;
            cands.resize(t.docs.len() + desc_touched.len(), (0, 0.0, 0.0));
            for &(d, a) in &t.docs {
                let state = &mut desc_state[d as usize];
                cands[len] = (d, a + extra(d as usize), a);
                len += usize::from(*state != 0);
                *state *= 2;
            }
            title_len = len;
            for &d in desc_touched.iter() {
                let x = self.prior_score[d as usize] + extra(d as usize);
                cands[len] = (d, x, f32::NEG_INFINITY);
                len += usize::from((desc_state[d as usize] == 1) & (d >= lo) & (d < hi));
            }
            cands.truncate(len);
        }
        if t.docs.is_empty() && cands.is_empty() && t.restrict.is_some() {
            cands.extend((lo..hi).map(|d| (d, self.prior_score[d as usize], f32::NEG_INFINITY)));
        }
        let a0 = t.docs.first().map_or(f32::NEG_INFINITY, |&(_, a)| a);
        let none = self.options.fusion.none;
        let m = cands.iter().fold(none.max(a0), |m, c| if c.1 > m { c.1 } else { m });
        // The title's candidates all count at their title score, through the
        // summary's sum; those the description raised are exchanged. A
        // description-only candidate has no title score to exchange (see
        // `exp_sums`).
        let title = if t.docs.is_empty() { 0.0 } else { t.sum * fast_exp(a0 - m) };
        let (raised, replaced) = exp_sums(cands, title_len, m);
        (m, fast_exp(none - m) + title + raised - replaced)
    }

    /// Ranks the candidates of the title summarised by `t` and the
    /// description read into `s`: the top k with their confidences into
    /// `s.top_codes`, the trusted level and the method.
    pub(crate) fn rank(&self, s: &mut Scratch, t: &TitleSummary) -> Ranked {
        let o = &self.options;
        let (m, z) = self.score_candidates(s, t);
        let k = o.top_k.max(2);
        let Scratch { cands, desc_state, top, probs, top_codes, .. } = s;
        top.clear();
        for &(d, x, _) in cands.iter() {
            push_top(top, k, d, x);
        }
        // The title's candidates are best first: once one cannot enter the
        // top k, none after it can.
        for &(d, a) in &t.docs {
            if desc_state[d as usize] == 2 {
                continue;
            }
            if top.len() == k && top.last().is_some_and(|&(e, es)| a < es || (a == es && d > e)) {
                break;
            }
            push_top(top, k, d, a);
        }
        top_codes.clear();
        let Some(&(best, _)) = top.first() else {
            return Ranked { best: None, level: Level::Large, score: 0.0, margin: 0.0, method: Method::Unclassified };
        };
        probs.clear();
        probs.extend(top.iter().map(|&(_, x)| fast_exp(x - m) / z));
        top.truncate(o.top_k);
        probs.truncate(o.top_k);
        top_codes.extend(top.iter().zip(probs.iter()).map(|(&(d, _), &p)| (self.codes[d as usize], p)));
        let (level, _) = trusted_level(top_codes, o.level_threshold);
        let score = probs[0];
        let margin = score - probs.get(1).copied().unwrap_or(0.0);
        let method = match t.decided {
            Some((d, m)) if d == best => m,
            _ if level != Level::Fine => Method::Fallback,
            _ => Method::Bm25,
        };
        Ranked { best: Some(best), level, score, margin, method }
    }

    /// Writes the evidence: the title's, what it says of `best`, and the
    /// noise removed.
    pub(crate) fn write_evidence(&self, s: &mut Scratch, t: &TitleSummary, best: Option<u32>) {
        let e = &mut s.evidence;
        e.clear();
        e.push_str(&t.evidence);
        if let Some(i) = best.and_then(|b| t.best_evidence.binary_search_by_key(&b, |x| x.doc).ok()) {
            self.write_best_evidence(e, t, &t.best_evidence[i]);
        }
        e.push_str(&t.removed);
        let trimmed = e.trim_end().len();
        e.truncate(trimmed);
    }
}

/// e^x for -80 <= x <= 80, to a relative error below 2e-5 (clamped below): 2^(x log2 e)
/// as an exponent and a degree-6 polynomial of the fraction; −∞ gives e^−80.
/// The softmax normaliser takes two per candidate the description touches.
#[inline]
pub(crate) fn fast_exp(x: f32) -> f32 {
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

/// Σ e^(x − m) over the candidates' (x, a), and Σ e^(a − m) over the first
/// `title_len` (the others' a is −∞). In lanes, so that the exponentials and
/// both sums vectorise: a plain sum must add in order, one candidate after
/// the other.
///
/// Leaving out the description's own candidates from the second sum leaves
/// every result as it was: each added e^−80 (`fast_exp`'s floor), and the
/// normaliser it is subtracted from is at least 1 (its largest term is
/// e^0), so the difference is far below a unit in its last place.
#[inline]
fn exp_sums(cands: &[Candidate], title_len: usize, m: f32) -> (f32, f32) {
    (lane_sum(cands, |c| fast_exp(c.1 - m)), lane_sum(&cands[..title_len], |c| fast_exp(c.2 - m)))
}

/// Σ f(c) over `cands`, element i added in lane i mod 8.
#[inline]
fn lane_sum(cands: &[Candidate], f: impl Fn(&Candidate) -> f32) -> f32 {
    const LANES: usize = 8;
    let mut lanes = [0.0f32; LANES];
    let chunks = cands.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (j, c) in chunk.iter().enumerate() {
            lanes[j] += f(c);
        }
    }
    for (j, c) in rest.iter().enumerate() {
        lanes[j] += f(c);
    }
    lanes.iter().sum()
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

    /// Through the title's summary, the candidates are those of the plain
    /// way (every piece of evidence gathered, [`Classifier::candidates`]),
    /// each scores the fusion's score of its features (the fitted model),
    /// and the softmax's normaliser is the plain sum over them and "none";
    /// on real titles and descriptions, with rules and groups.
    #[test]
    fn summarised_scores_equal_the_fusion_of_the_features() {
        let Some((_, c)) = super::super::tests::real() else { return };
        let mut s = super::Scratch::new();
        let postings = [
            ("Java开发工程师", "负责后端服务的设计与编码，编写单元测试"),
            ("招聘普工（包吃住）", "流水线操作，产品包装，服从车间安排"),
            ("精神科护工", ""),
            ("销售-人工智能", "开发客户，推销公司人工智能产品，维护客户关系"),
            ("销售人员", ""),
            ("老师", "负责小学数学课程的讲授"),
            ("", "负责仓库货物的收发与盘点"),
        ];
        let none = c.options.fusion.none;
        let mut checked = 0;
        for (title, desc) in postings {
            let mut want = Vec::new();
            c.candidates(title, Some(desc), &mut s, |code, f| want.push((code, c.options.fusion.score(f))));
            c.prepare(&mut s);
            let t = c.read_title(title, &mut s);
            c.read_description(desc, &mut s);
            let (m, z) = c.score_candidates(&mut s, &t);
            let mut got: Vec<_> = s.cands.iter().map(|&(d, x, _)| (c.codes[d as usize], x)).collect();
            let title_only = t.docs.iter().filter(|&&(d, _)| s.desc_state[d as usize] != 2);
            got.extend(title_only.map(|&(d, a)| (c.codes[d as usize], a)));
            want.sort_by_key(|x| x.0);
            got.sort_by_key(|x| x.0);
            assert_eq!(got.len(), want.len(), "{title}");
            for (&(code, x), &(want_code, y)) in got.iter().zip(&want) {
                assert_eq!(code, want_code, "{title}");
                assert!((x - y).abs() <= 1e-5 * y.abs().max(1.0), "{title} {code}: {x} vs {y}");
            }
            let top = want.iter().fold(none, |m, x| m.max(x.1));
            let plain: f32 = want.iter().map(|x| (x.1 - top).exp()).sum::<f32>() + (none - top).exp();
            let summarised = z * (m - top).exp();
            assert!((summarised - plain).abs() <= 1e-4 * plain, "{title}: {summarised} vs {plain}");
            checked += want.len();
        }
        assert!(checked > 100, "{checked}");
    }

    /// The sums in lanes are the plain sums, for every remainder.
    #[test]
    fn exp_sums_are_the_plain_sums() {
        for n in [0, 1, 7, 8, 9, 23, 161] {
            let cands: Vec<_> = (0..n)
                .map(|i| {
                    (i as u32, (i % 13) as f32 * -0.7, if i % 3 == 0 { f32::NEG_INFINITY } else { -(i as f32) * 0.1 })
                })
                .collect();
            let title_len = n * 2 / 3;
            let (raised, replaced) = super::exp_sums(&cands, title_len, 0.5);
            let plain = |cands: &[(u32, f32, f32)], f: fn(&(u32, f32, f32)) -> f32| {
                cands.iter().map(|c| (f(c) - 0.5).exp()).sum::<f32>()
            };
            let (want_raised, want_replaced) = (plain(&cands, |c| c.1), plain(&cands[..title_len], |c| c.2));
            assert!((raised - want_raised).abs() <= 1e-5 * want_raised.max(1.0), "{n}");
            assert!((replaced - want_replaced).abs() <= 1e-5 * want_replaced.max(1.0), "{n}");
        }
    }

    #[test]
    fn fast_exp_matches_exp() {
        let mut x = -80.0f32;
        while x <= 80.0 {
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 2e-5 * b + 1e-30, "{x}: {a} vs {b}");
            x += 0.013;
        }
        assert!(fast_exp(f32::NEG_INFINITY) > 0.0 && fast_exp(f32::NEG_INFINITY) < 1e-34);
    }
}
