//! Reading a gold file: CSV or Parquet, named columns, and descriptions
//! joined in by posting id from canonical Parquet postings.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::{Array, StringArray};
use zhiye_core::OcdCode;

use crate::{PipelineError, Result};

/// The gold code of a row that names no occupation (`-`): a posting such as
/// `实习生` from which no occupation can be read.
pub const NO_OCCUPATION: &str = "-";

/// One labelled row.
#[derive(Clone, Debug, Default)]
pub struct GoldRow {
    /// Job title.
    pub title: String,
    /// Description, if the gold file has one (or it was joined in).
    pub description: Option<String>,
    /// Gold code; `None` when empty, `-` or not a code.
    pub code: Option<OcdCode>,
    /// The gold code is `-`: the row names no occupation.
    pub no_occupation: bool,
    /// A second code the labeller found defensible.
    pub alt: Option<OcdCode>,
    /// Two fine codes are about equally defensible.
    pub ambiguous: bool,
    /// Split the row belongs to (0 tuning, 1 report), if the file says.
    pub half: Option<u8>,
    /// Posting id whose description is to be joined in.
    pub posting_id: Option<String>,
    /// Row weight (1 unless a weight column is given).
    pub weight: f64,
}

/// Which columns of the gold file to read; only `title` and `code` are required.
#[derive(Clone, Debug, Default)]
pub struct GoldColumns<'a> {
    /// Title column.
    pub title: &'a str,
    /// Gold code column.
    pub code: &'a str,
    /// Description column.
    pub description: Option<&'a str>,
    /// Weight column.
    pub weight: Option<&'a str>,
    /// Alternative code column.
    pub alt: Option<&'a str>,
    /// Ambiguity flag column (`1`/`true` is ambiguous).
    pub ambiguous: Option<&'a str>,
    /// Half column (`0` tuning, `1` report).
    pub half: Option<&'a str>,
    /// Posting id column, to join descriptions from postings.
    pub posting_id: Option<&'a str>,
}

/// Reads a gold file, CSV or Parquet by extension.
pub fn read_gold(path: &Path, cols: &GoldColumns<'_>) -> Result<Vec<GoldRow>> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => read_gold_parquet(path, cols),
        _ => read_gold_csv(path, cols),
    }
}

/// Whether a gold file (CSV or Parquet) has a column `name`.
pub fn has_column(path: &Path, name: &str) -> Result<bool> {
    if path.extension().and_then(|e| e.to_str()) == Some("parquet") {
        return Ok(zhiye_ingest::column_names(path)?.iter().any(|c| c == name));
    }
    let mut rdr = csv::Reader::from_path(path).map_err(csv_err(path, 0))?;
    let headers = rdr.headers().map_err(csv_err(path, 0))?;
    Ok(headers.iter().any(|h| h.trim_start_matches('\u{feff}') == name))
}

fn flag(s: &str) -> bool {
    matches!(s, "1" | "true" | "yes")
}

/// A CSV error of `path` at `row`, its cause kept.
pub(crate) fn csv_err(path: &Path, row: u64) -> impl Fn(csv::Error) -> PipelineError + '_ {
    move |source| PipelineError::Csv { path: path.into(), row, source }
}

fn input_err(path: &Path, row: u64, field: &str, message: String) -> PipelineError {
    PipelineError::Input { path: path.into(), row, field: field.into(), message }
}

fn read_gold_csv(path: &Path, cols: &GoldColumns<'_>) -> Result<Vec<GoldRow>> {
    let mut rdr = csv::Reader::from_path(path).map_err(csv_err(path, 0))?;
    let headers = rdr.headers().map_err(csv_err(path, 0))?.clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| input_err(path, 0, name, "no such column".into()))
    };
    let (t, c) = (find(cols.title)?, find(cols.code)?);
    let opt = |name: Option<&str>| name.map(find).transpose();
    let (d, w, a, amb, h, id) = (
        opt(cols.description)?,
        opt(cols.weight)?,
        opt(cols.alt)?,
        opt(cols.ambiguous)?,
        opt(cols.half)?,
        opt(cols.posting_id)?,
    );
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 1;
        let rec = rec.map_err(csv_err(path, row))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let some = |c: Option<usize>| c.map(get).filter(|s| !s.is_empty());
        let weight = match w {
            Some(w) => get(w).parse::<f64>().map_err(|_| {
                input_err(path, row, cols.weight.unwrap_or_default(), format!("{:?} is not a number", get(w)))
            })?,
            None => 1.0,
        };
        let half =
            match some(h) {
                Some(s) => Some(s.parse::<u8>().ok().filter(|h| *h < 2).ok_or_else(|| {
                    input_err(path, row, cols.half.unwrap_or_default(), format!("{s:?} is not 0 or 1"))
                })?),
                None => None,
            };
        let alt = match some(a) {
            Some(s) => Some(s.parse::<OcdCode>().map_err(|_| {
                input_err(path, row, cols.alt.unwrap_or_default(), format!("{s:?} is not an OCD code"))
            })?),
            None => None,
        };
        out.push(GoldRow {
            title: get(t).to_string(),
            description: some(d).map(str::to_string),
            code: get(c).parse().ok(),
            no_occupation: get(c) == NO_OCCUPATION,
            alt,
            ambiguous: some(amb).is_some_and(flag),
            half,
            posting_id: some(id).map(str::to_string),
            weight,
        });
    }
    Ok(out)
}

fn read_gold_parquet(path: &Path, cols: &GoldColumns<'_>) -> Result<Vec<GoldRow>> {
    // Not read from Parquet: refused rather than silently ignored.
    for (name, given) in
        [("alt", cols.alt), ("ambiguous", cols.ambiguous), ("half", cols.half), ("posting_id", cols.posting_id)]
    {
        if let Some(col) = given {
            return Err(input_err(path, 0, col, format!("a Parquet gold file has no {name} column here; use CSV")));
        }
    }
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
            a.ok_or_else(|| input_err(path, 0, name, "not a string column".into()))
        };
        let (t, c) = (col(cols.title)?, col(cols.code)?);
        let d = cols.description.map(col).transpose()?;
        let w = match cols.weight {
            Some(name) => {
                let a = batch.column_by_name(name).expect("projected column");
                let a = arrow_array::cast::AsArray::as_primitive_opt::<arrow_array::types::Float64Type>(a.as_ref())
                    .cloned()
                    .ok_or_else(|| input_err(path, 0, name, "not a float64 column".into()))?;
                Some(a)
            }
            None => None,
        };
        for i in 0..batch.num_rows() {
            let code = if c.is_null(i) { "" } else { c.value(i) };
            out.push(GoldRow {
                title: if t.is_null(i) { String::new() } else { t.value(i).to_string() },
                description: d.as_ref().filter(|d| !d.is_null(i)).map(|d| d.value(i).to_string()),
                code: code.parse().ok(),
                no_occupation: code == NO_OCCUPATION,
                weight: w.as_ref().map_or(1.0, |w| w.value(i)),
                ..GoldRow::default()
            });
        }
    }
    Ok(out)
}

/// Fills the description of every row with a posting id from the canonical
/// postings under `dir` (as `zhiye import` writes them). Gold files keep ids,
/// not the postings' text. Parquet files without both columns are passed
/// over (an import's quarantine file). A row whose id is not found is an error naming it.
pub fn join_descriptions(rows: &mut [GoldRow], dir: &Path) -> Result<()> {
    let mut wanted: HashMap<&str, Option<String>> =
        rows.iter().filter_map(|r| r.posting_id.as_deref()).map(|id| (id, None)).collect();
    // Postings files only: an import's folder also holds its quarantine file.
    let mut files = Vec::new();
    for f in zhiye_ingest::list_parquet(dir)? {
        let names = zhiye_ingest::column_names(&f)?;
        if ["posting_id", "description"].iter().all(|c| names.iter().any(|n| n == c)) {
            files.push(f);
        }
    }
    let found = zhiye_ingest::scan_row_groups(&files, &["posting_id", "description"], 8192, |_, batches| {
        let mut found = Vec::new();
        for b in batches {
            let ids = arrow_array::cast::AsArray::as_string::<i32>(b.column(0).as_ref());
            let desc = arrow_array::cast::AsArray::as_string::<i32>(b.column(1).as_ref());
            for i in 0..b.num_rows() {
                if !ids.is_null(i) && wanted.contains_key(ids.value(i)) {
                    let d = if desc.is_null(i) { String::new() } else { desc.value(i).to_string() };
                    found.push((ids.value(i).to_string(), d));
                }
            }
        }
        Ok(found)
    })?;
    for (id, d) in found.into_iter().flatten() {
        if let Some(slot) = wanted.get_mut(id.as_str()) {
            *slot = Some(d);
        }
    }
    let missing: Vec<&str> = wanted.iter().filter(|(_, d)| d.is_none()).map(|(id, _)| *id).collect();
    if let Some(first) = missing.first() {
        return Err(input_err(
            dir,
            0,
            "posting_id",
            format!("{} gold postings not found (e.g. {first}); import the samples first", missing.len()),
        ));
    }
    let found: HashMap<String, String> =
        wanted.into_iter().map(|(id, d)| (id.to_string(), d.expect("checked above"))).collect();
    for r in rows.iter_mut() {
        if let Some(id) = &r.posting_id {
            r.description = Some(found[id].clone()).filter(|d| !d.is_empty());
        }
    }
    Ok(())
}
