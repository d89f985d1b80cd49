//! Accuracy of the classifier against a gold file: top-1 and top-5 at every
//! level, where a row counts at a level only if its gold code is that deep.

use std::path::Path;

use arrow_array::{Array, StringArray};
use rayon::prelude::*;
use serde::Serialize;
use zhiye_core::{Level, OcdCode, Taxonomy};
use zhiye_text::{Classifier, Scratch, TermSource};

use crate::{PipelineError, Result};

/// One labelled row.
#[derive(Clone, Debug)]
pub struct GoldRow {
    /// Job title.
    pub title: String,
    /// Description, if the gold file has one.
    pub description: Option<String>,
    /// Gold code; `None` when empty or not a code (the row is skipped).
    pub code: Option<OcdCode>,
    /// Row weight (1 unless a weight column is given).
    pub weight: f64,
}

/// Which columns of the gold file to read.
#[derive(Clone, Debug)]
pub struct GoldColumns<'a> {
    /// Title column.
    pub title: &'a str,
    /// Gold code column.
    pub code: &'a str,
    /// Optional description column.
    pub description: Option<&'a str>,
    /// Optional weight column.
    pub weight: Option<&'a str>,
}

/// Reads a gold file, CSV or Parquet by extension.
pub fn read_gold(path: &Path, cols: &GoldColumns<'_>) -> Result<Vec<GoldRow>> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => read_gold_parquet(path, cols),
        _ => read_gold_csv(path, cols),
    }
}

fn read_gold_csv(path: &Path, cols: &GoldColumns<'_>) -> Result<Vec<GoldRow>> {
    let err =
        |row: u64, message: String| PipelineError::Input { path: path.into(), row, field: String::new(), message };
    let mut rdr = csv::Reader::from_path(path).map_err(|e| err(0, e.to_string()))?;
    let headers = rdr.headers().map_err(|e| err(0, e.to_string()))?.clone();
    let find = |name: &str| {
        headers.iter().position(|h| h.trim_start_matches('\u{feff}') == name).ok_or_else(|| PipelineError::Input {
            path: path.into(),
            row: 0,
            field: name.into(),
            message: "no such column".into(),
        })
    };
    let (t, c) = (find(cols.title)?, find(cols.code)?);
    let d = cols.description.map(find).transpose()?;
    let w = cols.weight.map(find).transpose()?;
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 1;
        let rec = rec.map_err(|e| err(row, e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let weight = match w {
            Some(w) => get(w).parse::<f64>().map_err(|_| PipelineError::Input {
                path: path.into(),
                row,
                field: cols.weight.unwrap_or_default().into(),
                message: format!("{:?} is not a number", get(w)),
            })?,
            None => 1.0,
        };
        out.push(GoldRow {
            title: get(t).to_string(),
            description: d.map(|d| get(d).to_string()).filter(|s| !s.is_empty()),
            code: get(c).parse().ok(),
            weight,
        });
    }
    Ok(out)
}

fn read_gold_parquet(path: &Path, cols: &GoldColumns<'_>) -> Result<Vec<GoldRow>> {
    let files = [path.to_path_buf()];
    let mut names = vec![cols.title, cols.code];
    names.extend(cols.description);
    names.extend(cols.weight);
    let groups = zhiye_ingest::scan_row_groups(&files, &names, 8192, |_, batches| Ok(batches))?;
    let mut out = Vec::new();
    for batch in groups.into_iter().flatten() {
        let col = |name: &str| -> Result<StringArray> {
            let a = batch.column_by_name(name).expect("projected column");
            let a = arrow_array::cast::AsArray::as_string_opt::<i32>(a.as_ref()).cloned();
            a.ok_or_else(|| PipelineError::Input {
                path: path.into(),
                row: 0,
                field: name.into(),
                message: "not a string column".into(),
            })
        };
        let (t, c) = (col(cols.title)?, col(cols.code)?);
        let d = cols.description.map(col).transpose()?;
        let w = match cols.weight {
            Some(name) => {
                let a = batch.column_by_name(name).expect("projected column");
                let a = arrow_array::cast::AsArray::as_primitive_opt::<arrow_array::types::Float64Type>(a.as_ref())
                    .cloned()
                    .ok_or_else(|| PipelineError::Input {
                        path: path.into(),
                        row: 0,
                        field: name.into(),
                        message: "not a float64 column".into(),
                    })?;
                Some(a)
            }
            None => None,
        };
        for i in 0..batch.num_rows() {
            out.push(GoldRow {
                title: if t.is_null(i) { String::new() } else { t.value(i).to_string() },
                description: d.as_ref().filter(|d| !d.is_null(i)).map(|d| d.value(i).to_string()),
                code: if c.is_null(i) { None } else { c.value(i).parse().ok() },
                weight: w.as_ref().map_or(1.0, |w| w.value(i)),
            });
        }
    }
    Ok(out)
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
    /// Top-5 accuracy (weighted), a fraction.
    pub top5: f64,
}

/// Share and fine top-1 accuracy of the rows decided by one method.
#[derive(Clone, Debug, Serialize)]
pub struct MethodShare {
    /// The method.
    pub method: &'static str,
    /// Rows decided by it.
    pub rows: usize,
    /// Fine top-1 accuracy on those rows with fine gold codes.
    pub fine_top1: f64,
}

/// The result of [`evaluate`].
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    /// Rows with a gold code.
    pub rows: usize,
    /// Rows skipped: no or malformed gold code.
    pub skipped: usize,
    /// One entry per level, fine first.
    pub levels: Vec<LevelAccuracy>,
    /// Rows by method.
    pub methods: Vec<MethodShare>,
    /// Fine top-1 accuracy by confidence bucket: the reliability table.
    pub reliability: Vec<ReliabilityBucket>,
    /// Rows by trusted level, with their accuracy at that level.
    pub trusted: Vec<TrustedLevel>,
    /// How far the gold codes agree with the taxonomy where it leaves no
    /// doubt: rows whose cleaned title is one occupation's name, or alias.
    pub taxonomy_agreement: Vec<TaxonomyAgreement>,
    /// Classification throughput, rows per second.
    pub rows_per_second: f64,
}

/// Fine top-1 accuracy in confidence buckets of 0.1 (rows with a fine gold code).
fn reliability(taxonomy: &Taxonomy, labelled: &[&GoldRow], predictions: &[Prediction]) -> Vec<ReliabilityBucket> {
    const BUCKETS: usize = 10;
    let mut n = [0usize; BUCKETS];
    let mut sum = [0f64; BUCKETS];
    let mut right = [0usize; BUCKETS];
    for (r, p) in labelled.iter().zip(predictions) {
        let gold = r.code.expect("labelled");
        if gold_level(taxonomy, gold) != Level::Fine || p.top.is_empty() {
            continue;
        }
        let b = ((p.score as f64 * BUCKETS as f64) as usize).min(BUCKETS - 1);
        n[b] += 1;
        sum[b] += f64::from(p.score);
        right[b] += usize::from(p.top[0] == gold);
    }
    (0..BUCKETS)
        .filter(|&b| n[b] > 0)
        .map(|b| ReliabilityBucket {
            from: b as f64 / BUCKETS as f64,
            to: (b + 1) as f64 / BUCKETS as f64,
            rows: n[b],
            mean_score: sum[b] / n[b] as f64,
            accuracy: right[b] as f64 / n[b] as f64,
        })
        .collect()
}

/// The depth a gold code counts at: an occupation of the taxonomy counts as
/// fine even when it is an undivided small class coded `-00` (it is the
/// deepest class there is); any other code counts at its own level.
fn gold_level(taxonomy: &Taxonomy, code: OcdCode) -> Level {
    match taxonomy.get(code) {
        Some(c) if c.occupation => Level::Fine,
        _ => code.level(),
    }
}

/// The classifier's answer for one labelled row, for `--dump`.
#[derive(Clone, Debug)]
pub struct Prediction {
    /// The top-k codes, best first.
    pub top: Vec<OcdCode>,
    /// Confidence of the best code.
    pub score: f32,
    /// The trusted level.
    pub level: Level,
    /// The method's name.
    pub method: &'static str,
    /// The evidence string.
    pub evidence: String,
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

/// Classifies the gold rows (in parallel) and scores them; also returns the
/// predictions of the labelled rows, in order.
pub fn evaluate(classifier: &Classifier, taxonomy: &Taxonomy, rows: &[GoldRow]) -> (EvalReport, Vec<Prediction>) {
    let labelled: Vec<&GoldRow> = rows.iter().filter(|r| r.code.is_some()).collect();
    let start = std::time::Instant::now();
    let predictions: Vec<Prediction> = labelled
        .par_iter()
        .map_init(Scratch::new, |s, r| {
            let o = classifier.classify(&r.title, r.description.as_deref(), s);
            Prediction {
                top: o.top.iter().map(|t| t.0).collect(),
                score: o.score,
                level: o.level,
                method: o.method.name(),
                evidence: o.evidence.into(),
            }
        })
        .collect();
    let preds: Vec<(&[OcdCode], &'static str)> = predictions.iter().map(|p| (p.top.as_slice(), p.method)).collect();
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let order = [Level::Fine, Level::Small, Level::Medium, Level::Large];
    let levels = order
        .iter()
        .map(|&level| {
            let (mut n, mut w, mut h1, mut h5) = (0usize, 0.0, 0.0, 0.0);
            for (r, (top, _)) in labelled.iter().zip(&preds) {
                let gold = r.code.expect("labelled");
                if gold_level(taxonomy, gold) < level {
                    continue;
                }
                let g = gold.truncate(level);
                n += 1;
                w += r.weight;
                if top.first().is_some_and(|c| c.truncate(level) == g) {
                    h1 += r.weight;
                }
                if top.iter().take(5).any(|c| c.truncate(level) == g) {
                    h5 += r.weight;
                }
            }
            let frac = |h: f64| if w > 0.0 { h / w } else { 0.0 };
            LevelAccuracy { level: level.name(), rows: n, top1: frac(h1), top5: frac(h5) }
        })
        .collect();
    let mut methods: Vec<MethodShare> = Vec::new();
    for (r, (top, m)) in labelled.iter().zip(&preds) {
        let entry = match methods.iter_mut().position(|e| e.method == *m) {
            Some(i) => &mut methods[i],
            None => {
                methods.push(MethodShare { method: m, rows: 0, fine_top1: 0.0 });
                methods.last_mut().expect("just pushed")
            }
        };
        entry.rows += 1;
        let gold = r.code.expect("labelled");
        if gold_level(taxonomy, gold) == Level::Fine && top.first() == Some(&gold) {
            entry.fine_top1 += 1.0;
        }
    }
    for m in &mut methods {
        let fine = labelled
            .iter()
            .zip(&preds)
            .filter(|(r, (_, pm))| *pm == m.method && r.code.is_some_and(|c| gold_level(taxonomy, c) == Level::Fine))
            .count();
        m.fine_top1 = if fine > 0 { m.fine_top1 / fine as f64 } else { 0.0 };
    }
    let reliability = reliability(taxonomy, &labelled, &predictions);
    let trusted = order
        .iter()
        .map(|&level| {
            let (mut n, mut judged, mut right) = (0, 0, 0);
            for (r, p) in labelled.iter().zip(&predictions) {
                if p.level != level || p.top.is_empty() {
                    continue;
                }
                n += 1;
                let gold = r.code.expect("labelled");
                if gold_level(taxonomy, gold) >= level {
                    judged += 1;
                    right += usize::from(p.top[0].truncate(level) == gold.truncate(level));
                }
            }
            TrustedLevel { level: level.name(), rows: n, accuracy: right as f64 / judged.max(1) as f64 }
        })
        .collect();
    let taxonomy_agreement = taxonomy_agreement(classifier, taxonomy, &labelled);
    let report = EvalReport {
        rows: labelled.len(),
        skipped: rows.len() - labelled.len(),
        levels,
        methods,
        reliability,
        trusted,
        taxonomy_agreement,
        rows_per_second: labelled.len() as f64 / secs,
    };
    (report, predictions)
}
