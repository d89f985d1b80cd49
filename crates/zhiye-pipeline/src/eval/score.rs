//! Scoring a coder's predictions against gold rows: top-1 (strict and with the
//! labeller's alternative accepted) and top-5 at every level, on all rows and
//! on the unambiguous ones, by method, by confidence and by trusted level.
//! Any coder's predictions are scored alike (zhiye's, or the Python peer's
//! read from its output), so the figures compare on the same rows.

use serde::Serialize;
use zhiye_core::{Level, OcdCode, Taxonomy};

use super::GoldRow;

/// One coder's answer for a gold row.
#[derive(Clone, Debug, Default)]
pub struct Prediction {
    /// The top-k codes, best first (empty: unclassified).
    pub top: Vec<OcdCode>,
    /// Confidence of the best code.
    pub score: f32,
    /// The trusted level (fine for coders without one).
    pub level: Option<Level>,
    /// The method's (or stage's) name.
    pub method: String,
    /// The evidence string.
    pub evidence: String,
}

/// Accuracy at one level.
#[derive(Clone, Debug, Serialize)]
pub struct LevelAccuracy {
    /// `fine`, `small`, `medium` or `large`.
    pub level: &'static str,
    /// Rows whose gold code is at least this deep.
    pub rows: usize,
    /// Top-1 accuracy (weighted), a fraction.
    pub top1: f64,
    /// Top-1 accuracy counting the gold's alternative code as right.
    pub top1_alt: f64,
    /// Top-5 accuracy (weighted), a fraction.
    pub top5: f64,
}

/// The rows decided by one method and their fine accuracy.
#[derive(Clone, Debug, Serialize)]
pub struct MethodShare {
    /// The method.
    pub method: String,
    /// Rows decided by it.
    pub rows: usize,
    /// Those rows with a fine gold code.
    pub fine_rows: usize,
    /// Fine top-1 accuracy on them.
    pub fine_top1: f64,
    /// The same, alternatives accepted.
    pub fine_top1_alt: f64,
}

/// Fine top-1 accuracy of the rows whose confidence falls in one bucket.
#[derive(Clone, Debug, Serialize)]
pub struct ReliabilityBucket {
    /// Lower bound of the confidence bucket.
    pub from: f64,
    /// Upper bound (exclusive, except for the last bucket).
    pub to: f64,
    /// Rows with a fine gold code in the bucket.
    pub rows: usize,
    /// Mean confidence of those rows.
    pub mean_score: f64,
    /// Their fine top-1 accuracy.
    pub accuracy: f64,
    /// The same, alternatives accepted.
    pub accuracy_alt: f64,
}

/// Rows trusted at one level (hierarchical fallback) and how often they are
/// right at that level.
#[derive(Clone, Debug, Serialize)]
pub struct TrustedLevel {
    /// The level.
    pub level: &'static str,
    /// Rows trusted at this level.
    pub rows: usize,
    /// Accuracy at this level among those whose gold code is deep enough.
    pub accuracy: f64,
}

/// Rows whose gold says no occupation can be read (`-`).
#[derive(Clone, Debug, Serialize)]
pub struct NoOccupation {
    /// Such rows.
    pub rows: usize,
    /// Of them, left unclassified or trusted no deeper than the large class.
    pub abstained: usize,
}

/// One coder's figures on a set of gold rows.
#[derive(Clone, Debug, Serialize)]
pub struct Scores {
    /// Rows with a gold code.
    pub rows: usize,
    /// Per level, fine first: all rows with a gold code that deep.
    pub levels: Vec<LevelAccuracy>,
    /// The same on the rows not flagged ambiguous.
    pub unambiguous: Vec<LevelAccuracy>,
    /// Rows by method.
    pub methods: Vec<MethodShare>,
    /// Fine accuracy by confidence bucket: the reliability table.
    pub reliability: Vec<ReliabilityBucket>,
    /// Rows by trusted level.
    pub trusted: Vec<TrustedLevel>,
    /// Rows whose gold is no occupation.
    pub no_occupation: NoOccupation,
}

const ORDER: [Level; 4] = [Level::Fine, Level::Small, Level::Medium, Level::Large];

/// The depth a gold code counts at: an occupation of the taxonomy counts as
/// fine even when it is an undivided small class coded `-00` (it is the
/// deepest class there is); any other code counts at its own level.
pub(crate) fn gold_level(taxonomy: &Taxonomy, code: OcdCode) -> Level {
    match taxonomy.get(code) {
        Some(c) if c.occupation => Level::Fine,
        _ => code.level(),
    }
}

/// Whether `predicted` is right at `level` for `row`; `alt` accepts the
/// labeller's alternative code too.
fn right(taxonomy: &Taxonomy, row: &GoldRow, predicted: OcdCode, level: Level, alt: bool) -> bool {
    let Some(gold) = row.code else { return false };
    if gold_level(taxonomy, gold) < level {
        return false;
    }
    predicted.truncate(level) == gold.truncate(level)
        || (alt
            && row
                .alt
                .is_some_and(|a| gold_level(taxonomy, a) >= level && predicted.truncate(level) == a.truncate(level)))
}

fn levels<'a>(
    taxonomy: &Taxonomy,
    rows: impl Iterator<Item = (&'a GoldRow, &'a Prediction)> + Clone,
) -> Vec<LevelAccuracy> {
    ORDER
        .iter()
        .map(|&level| {
            let (mut n, mut w, mut h1, mut ha, mut h5) = (0usize, 0.0, 0.0, 0.0, 0.0);
            for (r, p) in rows.clone() {
                let Some(gold) = r.code else { continue };
                if gold_level(taxonomy, gold) < level {
                    continue;
                }
                n += 1;
                w += r.weight;
                let first = p.top.first().copied();
                h1 += r.weight * f64::from(u8::from(first.is_some_and(|c| right(taxonomy, r, c, level, false))));
                ha += r.weight * f64::from(u8::from(first.is_some_and(|c| right(taxonomy, r, c, level, true))));
                h5 +=
                    r.weight * f64::from(u8::from(p.top.iter().take(5).any(|&c| right(taxonomy, r, c, level, false))));
            }
            let frac = |h: f64| if w > 0.0 { h / w } else { 0.0 };
            LevelAccuracy { level: level.name(), rows: n, top1: frac(h1), top1_alt: frac(ha), top5: frac(h5) }
        })
        .collect()
}

/// Scores `predictions` (one per row, in order) against `rows`.
pub fn score(taxonomy: &Taxonomy, rows: &[&GoldRow], predictions: &[Prediction]) -> Scores {
    assert_eq!(rows.len(), predictions.len(), "one prediction per gold row");
    let pairs = || rows.iter().copied().zip(predictions);
    let coded = || pairs().filter(|(r, _)| r.code.is_some());
    let fine_gold = |r: &GoldRow| r.code.is_some_and(|c| gold_level(taxonomy, c) == Level::Fine);
    let top1 = |r: &GoldRow, p: &Prediction, alt: bool| {
        p.top.first().is_some_and(|&c| right(taxonomy, r, c, Level::Fine, alt))
    };

    let mut methods: Vec<MethodShare> = Vec::new();
    for (r, p) in coded() {
        let i = match methods.iter().position(|m| m.method == p.method) {
            Some(i) => i,
            None => {
                methods.push(MethodShare {
                    method: p.method.clone(),
                    rows: 0,
                    fine_rows: 0,
                    fine_top1: 0.0,
                    fine_top1_alt: 0.0,
                });
                methods.len() - 1
            }
        };
        let m = &mut methods[i];
        m.rows += 1;
        if fine_gold(r) {
            m.fine_rows += 1;
            m.fine_top1 += f64::from(u8::from(top1(r, p, false)));
            m.fine_top1_alt += f64::from(u8::from(top1(r, p, true)));
        }
    }
    for m in &mut methods {
        let n = m.fine_rows.max(1) as f64;
        m.fine_top1 /= n;
        m.fine_top1_alt /= n;
    }
    methods.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.method.cmp(&b.method)));

    const BUCKETS: usize = 10;
    let mut buckets = [(0usize, 0f64, 0usize, 0usize); BUCKETS];
    for (r, p) in coded().filter(|(r, p)| fine_gold(r) && !p.top.is_empty()) {
        let b = &mut buckets[((p.score as f64 * BUCKETS as f64) as usize).min(BUCKETS - 1)];
        b.0 += 1;
        b.1 += f64::from(p.score);
        b.2 += usize::from(top1(r, p, false));
        b.3 += usize::from(top1(r, p, true));
    }
    let reliability = buckets
        .iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(i, &(n, sum, h, ha))| ReliabilityBucket {
            from: i as f64 / BUCKETS as f64,
            to: (i + 1) as f64 / BUCKETS as f64,
            rows: n,
            mean_score: sum / n as f64,
            accuracy: h as f64 / n as f64,
            accuracy_alt: ha as f64 / n as f64,
        })
        .collect();

    let trusted = ORDER
        .iter()
        .map(|&level| {
            let (mut n, mut judged, mut ok) = (0, 0, 0);
            for (r, p) in coded() {
                if p.level != Some(level) || p.top.is_empty() {
                    continue;
                }
                n += 1;
                if r.code.is_some_and(|g| gold_level(taxonomy, g) >= level) {
                    judged += 1;
                    ok += usize::from(right(taxonomy, r, p.top[0], level, false));
                }
            }
            TrustedLevel { level: level.name(), rows: n, accuracy: ok as f64 / judged.max(1) as f64 }
        })
        .collect();

    let none: Vec<&Prediction> = pairs().filter(|(r, _)| r.no_occupation).map(|(_, p)| p).collect();
    let no_occupation = NoOccupation {
        rows: none.len(),
        abstained: none.iter().filter(|p| p.top.is_empty() || p.level == Some(Level::Large)).count(),
    };
    Scores {
        rows: coded().count(),
        levels: levels(taxonomy, coded()),
        unambiguous: levels(taxonomy, coded().filter(|(r, _)| !r.ambiguous)),
        methods,
        reliability,
        trusted,
        no_occupation,
    }
}
