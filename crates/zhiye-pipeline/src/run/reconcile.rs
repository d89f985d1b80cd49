//! The published occupation × year counts (DataFusion) against the counts
//! taken row by row in the main pass: two independent computations that
//! must agree exactly, at every level.

use std::collections::BTreeMap;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use zhiye_agg::{NamedTable, OccupationYear};
use zhiye_core::{Level, OcdCode};

use crate::{PipelineError, Result};

/// (level, code, year) → (postings, vacancies, duplicates).
type Counts = BTreeMap<(String, Option<String>, Option<i32>), (u64, u64, u64)>;

fn mismatch(message: String) -> PipelineError {
    PipelineError::Reconcile { message }
}

fn published(batch: &RecordBatch) -> Result<Counts> {
    let column = |name: &str| batch.column_by_name(name).ok_or_else(|| mismatch(format!("no column {name}")));
    let level = column("level")?.as_string::<i32>();
    let code = column("code")?.as_string::<i32>();
    let year = column("year")?.as_primitive::<Int32Type>();
    let postings = column("postings")?.as_primitive::<Int64Type>();
    let vacancies = column("vacancies")?.as_primitive::<Int64Type>();
    let duplicates = column("duplicates")?.as_primitive::<Int64Type>();
    let mut out = Counts::new();
    for i in 0..batch.num_rows() {
        let key = (
            level.value(i).to_string(),
            (!code.is_null(i)).then(|| code.value(i).to_string()),
            (!year.is_null(i)).then(|| year.value(i)),
        );
        let v = (postings.value(i) as u64, vacancies.value(i) as u64, duplicates.value(i) as u64);
        out.insert(key, v);
    }
    Ok(out)
}

fn counted(counts: &OccupationYear, codes: &[OcdCode]) -> Counts {
    let mut out = Counts::new();
    for row in counts.rows() {
        for level in Level::ALL {
            let code = row.occupation.map(|o| codes[o].written_at(level));
            let e = out.entry((level.name().to_string(), code, row.year)).or_default();
            e.0 += row.postings;
            e.1 += row.vacancies;
            e.2 += row.duplicates;
        }
    }
    out
}

/// Fails unless `occupation_year` in `tables` holds exactly the counts of `counts`.
pub(crate) fn check(tables: &[NamedTable], counts: &OccupationYear, codes: &[OcdCode]) -> Result<()> {
    let table = tables
        .iter()
        .find(|t| t.name == "occupation_year")
        .ok_or_else(|| mismatch("no occupation_year table".into()))?;
    let published = published(&table.batch)?;
    let counted = counted(counts, codes);
    if published == counted {
        return Ok(());
    }
    let first = counted
        .iter()
        .find(|(k, v)| published.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k:?}: counted {v:?}, published {:?}", published.get(k)))
        .or_else(|| published.keys().find(|k| !counted.contains_key(*k)).map(|k| format!("{k:?} only published")))
        .unwrap_or_default();
    Err(mismatch(format!("occupation_year differs from the main pass's counts, first at {first}")))
}
