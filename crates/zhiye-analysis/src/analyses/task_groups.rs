//! [`task_group_exposure`]: mean exposure of composite task groups of
//! occupations (the paper's Fig. 5).

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use zhiye_core::{Level, OcdCode};

use crate::exposure::ExposureScores;
use crate::input::CsvInput;
use crate::stats::{mean, weighted_mean};
use crate::table::Table;
use crate::{Error, Result};

/// A class that belongs to a task group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskGroupMember {
    /// The class.
    #[serde(serialize_with = "crate::serialize::code")]
    pub code: OcdCode,
    /// The level `code` is meant at: [`Level::Fine`] for occupations
    /// (including undivided small classes such as `2-03-01-00`).
    #[serde(serialize_with = "crate::serialize::level")]
    pub level: Level,
    /// The task group, e.g. `routine cognitive`.
    pub group: String,
    /// Optional weight (e.g. postings) for the weighted mean.
    pub weight: Option<f64>,
}

/// Reads a CSV file with columns `code` (any level, by depth), `group`
/// (text) and an optional `weight` (number ≥ 0; may be left empty). A code
/// may appear once per group.
pub fn read_task_groups(path: impl AsRef<Path>) -> Result<Vec<TaskGroupMember>> {
    let path = path.as_ref();
    let input = CsvInput::open(path)?;
    let (code, group) = (input.column("code")?, input.column("group")?);
    let weight = input.optional_column("weight");
    let mut out = Vec::new();
    let mut seen: HashMap<(OcdCode, Level, String), u64> = HashMap::new();
    input.for_each_row(|r| {
        let text = r.text(code);
        let c = r.code(code)?;
        let level = Level::from_depth(text.split('-').count()).unwrap_or(c.level());
        let g = r.required(group)?.to_string();
        let key = (c, level, g.clone());
        if let Some(&first_row) = seen.get(&key) {
            return Err(Error::Duplicate {
                path: path.into(),
                row: r.row,
                first_row,
                key: format!("(code, group) = ({text}, {g})"),
            });
        }
        seen.insert(key, r.row);
        let w = match weight {
            Some(i) if !r.text(i).is_empty() => Some(r.non_negative(i)?),
            _ => None,
        };
        out.push(TaskGroupMember { code: c, level, group: g, weight: w });
        Ok(())
    })?;
    Ok(out)
}

/// The exposure of one task group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskGroupExposure {
    /// The group.
    pub group: String,
    /// Members listed.
    pub n_members: usize,
    /// Members with a score.
    pub n_scored: usize,
    /// Mean score of the scored members.
    pub mean: Option<f64>,
    /// Weighted mean score of the scored members; `None` unless every scored
    /// member has a weight and the weights do not sum to zero.
    pub weighted_mean: Option<f64>,
}

/// Mean exposure per task group. Each member is looked up at its own level
/// in `scores`; unscored members are counted in `n_members` only. Groups come
/// out in order of first appearance.
pub fn task_group_exposure(members: &[TaskGroupMember], scores: &ExposureScores) -> Vec<TaskGroupExposure> {
    let mut order: Vec<&str> = Vec::new();
    let mut per: HashMap<&str, Vec<&TaskGroupMember>> = HashMap::new();
    for m in members {
        per.entry(m.group.as_str())
            .or_insert_with(|| {
                order.push(m.group.as_str());
                Vec::new()
            })
            .push(m);
    }
    order
        .into_iter()
        .map(|group| {
            let listed = &per[group];
            let scored: Vec<(f64, Option<f64>)> =
                listed.iter().filter_map(|m| Some((scores.score(m.level, m.code)?, m.weight))).collect();
            let values: Vec<f64> = scored.iter().map(|s| s.0).collect();
            let weights: Option<Vec<f64>> = scored.iter().map(|s| s.1).collect();
            TaskGroupExposure {
                group: group.to_string(),
                n_members: listed.len(),
                n_scored: scored.len(),
                mean: mean(&values),
                weighted_mean: weights.and_then(|w| weighted_mean(&values, &w)),
            }
        })
        .collect()
}

/// Task-group exposures as a table: `group, n_members, n_scored, mean, weighted_mean`.
pub fn task_group_table(rows: &[TaskGroupExposure]) -> Table {
    let mut t = Table::new(["group", "n_members", "n_scored", "mean", "weighted_mean"]);
    for r in rows {
        t.push(vec![
            r.group.clone().into(),
            r.n_members.into(),
            r.n_scored.into(),
            r.mean.into(),
            r.weighted_mean.into(),
        ]);
    }
    t
}
