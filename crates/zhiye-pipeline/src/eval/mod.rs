//! Accuracy of the classifier against a gold file: top-1 (strict, and with
//! the labeller's alternative code accepted) and top-5 at every level, where a
//! row counts at a level only if its gold code is that deep; on all rows and
//! on the unambiguous ones; by method, confidence and trusted level; and the
//! same figures for another coder's predictions on the same rows (the Python
//! peer's, read from its output with [`read_peer`]).
//!
//! Gold files are read by [`read_gold`] ([`GoldColumns`] names the columns);
//! a gold set of postings keeps their ids, and [`join_descriptions`] reads the
//! descriptions from the imported postings.

mod gold;
mod score;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use zhiye_core::{Level, OcdCode, Taxonomy};

use zhiye_text::{Classifier, Scratch, TermSource, TitleMemo};

pub use gold::{GoldColumns, GoldRow, NO_OCCUPATION, has_column, join_descriptions, read_gold};
use score::gold_level;
pub use score::{LevelAccuracy, MethodShare, NoOccupation, Prediction, ReliabilityBucket, Scores, TrustedLevel, score};

use crate::{PipelineError, Result};

/// The result of [`evaluate`].
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    /// Rows skipped: no or malformed gold code (`-` rows included).
    pub skipped: usize,
    /// zhiye's figures.
    #[serde(flatten)]
    pub zhiye: Scores,
    /// The other coder's figures on the same rows, if given.
    pub peer: Option<Scores>,
    /// How far the gold codes agree with the taxonomy where it leaves no
    /// doubt: rows whose cleaned title is one occupation's name, or alias.
    pub taxonomy_agreement: Vec<TaxonomyAgreement>,
    /// Classification throughput, rows per second.
    pub rows_per_second: f64,
}

/// Reads another coder's predictions, one row per gold row in the gold
/// file's order: a CSV with `code` (the best code, empty if none), `top5`
/// (codes joined by `|`), and optionally `score` and `stage` (its method).
pub fn read_peer(path: &Path) -> Result<Vec<Prediction>> {
    let err = |row: u64, field: &str, message: String| PipelineError::Input {
        path: path.into(),
        row,
        field: field.into(),
        message,
    };
    let mut rdr = csv::Reader::from_path(path).map_err(gold::csv_err(path, 0))?;
    let headers = rdr.headers().map_err(gold::csv_err(path, 0))?.clone();
    let find = |name: &str| headers.iter().position(|h| h == name);
    let code = find("code").ok_or_else(|| err(0, "code", "no such column".into()))?;
    let (top5, score, stage) = (find("top5"), find("score"), find("stage"));
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(gold::csv_err(path, i as u64 + 1))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let mut top: Vec<OcdCode> = get(top5).split('|').filter_map(|c| c.trim().parse().ok()).collect();
        match get(Some(code)).parse::<OcdCode>() {
            Ok(best) if top.first() != Some(&best) => {
                top.retain(|c| *c != best);
                top.insert(0, best);
            }
            Ok(_) => {}
            Err(_) => top.clear(),
        }
        out.push(Prediction {
            top,
            score: get(score).parse().unwrap_or(0.0),
            level: None,
            method: Some(get(stage)).filter(|s| !s.is_empty()).unwrap_or("peer").to_string(),
            evidence: String::new(),
        });
    }
    Ok(out)
}

/// The gold file against the taxonomy itself: the rows whose cleaned title is
/// exactly the name (or an alias) of a single occupation, and how often their
/// gold code is that occupation, at each level. A classifier that follows the
/// taxonomy cannot agree with the gold more often than this on these, the
/// easiest rows; low agreement means the labels follow another source.
#[derive(Clone, Debug, Serialize)]
pub struct TaxonomyAgreement {
    /// `name` or `alias` (alias parts included).
    pub source: &'static str,
    /// Such rows.
    pub rows: usize,
    /// Per level, fine first: rows whose gold code is that deep, and the
    /// share of them whose gold is the occupation at that level.
    pub levels: Vec<LevelAgreement>,
}

/// Agreement at one level; see [`TaxonomyAgreement`].
#[derive(Clone, Debug, Serialize)]
pub struct LevelAgreement {
    /// The level.
    pub level: &'static str,
    /// Rows whose gold code is at least this deep.
    pub rows: usize,
    /// Share of them that agree at this level.
    pub agreement: f64,
}

fn taxonomy_agreement(classifier: &Classifier, taxonomy: &Taxonomy, labelled: &[&GoldRow]) -> Vec<TaxonomyAgreement> {
    let answers: Vec<Option<(OcdCode, TermSource)>> =
        labelled.par_iter().map_init(Scratch::new, |s, r| classifier.taxonomy_answer(&r.title, s)).collect();
    let order = [Level::Fine, Level::Small, Level::Medium, Level::Large];
    [("name", true), ("alias", false)]
        .into_iter()
        .map(|(source, name)| {
            let rows: Vec<(OcdCode, OcdCode)> = labelled
                .iter()
                .zip(&answers)
                .filter_map(|(r, a)| a.filter(|a| (a.1 == TermSource::Name) == name).zip(r.code).map(|(a, g)| (a.0, g)))
                .collect();
            let levels = order
                .iter()
                .map(|&level| {
                    let deep: Vec<&(OcdCode, OcdCode)> =
                        rows.iter().filter(|(_, g)| gold_level(taxonomy, *g) >= level).collect();
                    let agree = deep.iter().filter(|(a, g)| a.truncate(level) == g.truncate(level)).count();
                    LevelAgreement {
                        level: level.name(),
                        rows: deep.len(),
                        agreement: agree as f64 / deep.len().max(1) as f64,
                    }
                })
                .collect();
            TaxonomyAgreement { source, rows: rows.len(), levels }
        })
        .collect()
}

/// Classifies the gold rows (in parallel) and scores them, and `peer`'s
/// predictions (one per row of `rows`) on the same rows if given; also returns
/// zhiye's predictions of the labelled rows (code or `-`), in order.
pub fn evaluate(
    classifier: &Classifier,
    taxonomy: &Taxonomy,
    rows: &[GoldRow],
    peer: Option<&[Prediction]>,
) -> (EvalReport, Vec<Prediction>) {
    let keep = |r: &GoldRow| r.code.is_some() || r.no_occupation;
    let labelled: Vec<&GoldRow> = rows.iter().filter(|r| keep(r)).collect();
    let start = std::time::Instant::now();
    // One title memo for all workers, as `zhiye run` has.
    let memo = Arc::new(TitleMemo::new());
    let predictions: Vec<Prediction> = labelled
        .par_iter()
        .map_init(
            || Scratch::sharing(&memo),
            |s, r| {
                let o = classifier.classify(&r.title, r.description.as_deref(), s);
                Prediction {
                    top: o.top.iter().map(|t| t.0).collect(),
                    score: o.score,
                    level: Some(o.level),
                    method: o.method.name().to_string(),
                    evidence: o.evidence.into(),
                }
            },
        )
        .collect();
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let peer = peer.map(|p| {
        let p: Vec<Prediction> = rows.iter().zip(p).filter(|(r, _)| keep(r)).map(|(_, p)| p.clone()).collect();
        score(taxonomy, &labelled, &p)
    });
    let coded: Vec<&GoldRow> = labelled.iter().copied().filter(|r| r.code.is_some()).collect();
    let report = EvalReport {
        skipped: rows.len() - coded.len(),
        zhiye: score(taxonomy, &labelled, &predictions),
        peer,
        taxonomy_agreement: taxonomy_agreement(classifier, taxonomy, &coded),
        rows_per_second: labelled.len() as f64 / secs,
    };
    (report, predictions)
}
