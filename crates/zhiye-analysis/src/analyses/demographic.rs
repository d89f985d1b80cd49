//! [`demographic_exposure`]: the exposure of demographic groups (e.g. age
//! bands) through the industries they work in (the paper's Fig. 7).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::IndustryExposure;
use crate::input::CsvInput;
use crate::table::Table;
use crate::{Error, Result};

/// Employment of one group in one industry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupEmployment {
    /// The group, e.g. the age band `16-24`.
    pub group: String,
    /// The industry, named as in the industry exposure table.
    pub industry: String,
    /// Employment (persons or a share), ≥ 0.
    pub employment: f64,
}

/// Reads a CSV file with columns `group` (text), `industry` (text) and
/// `employment` (number ≥ 0). A `(group, industry)` pair may appear once.
pub fn read_group_industry(path: impl AsRef<Path>) -> Result<Vec<GroupEmployment>> {
    let path = path.as_ref();
    let input = CsvInput::open(path)?;
    let (group, industry, employment) =
        (input.column("group")?, input.column("industry")?, input.column("employment")?);
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    input.for_each_row(|r| {
        let g = r.required(group)?.to_string();
        let i = r.required(industry)?.to_string();
        let key = (g.clone(), i.clone());
        if let Some(&first_row) = seen.get(&key) {
            return Err(Error::Duplicate {
                path: path.into(),
                row: r.row,
                first_row,
                key: format!("(group, industry) = ({g}, {i})"),
            });
        }
        seen.insert(key, r.row);
        out.push(GroupEmployment { group: g, industry: i, employment: r.non_negative(employment)? });
        Ok(())
    })?;
    Ok(out)
}

/// The exposure of one group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupExposure {
    /// The group.
    pub group: String,
    /// `Σ_i (emp_i / Σ_i' emp_i') · e_i` over the group's industries with an
    /// exposure; `None` if none has one.
    pub exposure: Option<f64>,
    /// Total employment of the group.
    pub total_employment: f64,
    /// Employment in industries with an exposure.
    pub scored_employment: f64,
    /// Industries of the group.
    pub n_industries: usize,
    /// Industries with an exposure.
    pub n_scored: usize,
    /// Share of the group's employment in industries with an exposure.
    pub coverage: Option<f64>,
}

/// Group exposure: for each group `g`, `Σ_i (emp_{g,i} / Σ_i' emp_{g,i'}) ×
/// e_i`, both sums over the industries that have an exposure (so the shares
/// are renormalised; the covered share is reported). Groups come out in
/// order of first appearance.
///
/// # Errors
/// [`Error::Input`] for a negative or non-finite employment.
pub fn demographic_exposure(rows: &[GroupEmployment], industries: &[IndustryExposure]) -> Result<Vec<GroupExposure>> {
    let exposure: HashMap<&str, f64> =
        industries.iter().filter_map(|i| Some((i.industry.as_str(), i.exposure?))).collect();
    let mut order: Vec<&str> = Vec::new();
    let mut per: HashMap<&str, BTreeMap<&str, f64>> = HashMap::new();
    for (n, r) in rows.iter().enumerate() {
        if !r.employment.is_finite() || r.employment < 0.0 {
            return Err(Error::Input {
                context: format!("group employment, item {} ({}, {})", n + 1, r.group, r.industry),
                message: format!("employment {} is not a finite number ≥ 0", r.employment),
            });
        }
        let by_industry = per.entry(r.group.as_str()).or_insert_with(|| {
            order.push(r.group.as_str());
            BTreeMap::new()
        });
        *by_industry.entry(r.industry.as_str()).or_default() += r.employment;
    }
    Ok(order
        .into_iter()
        .map(|group| {
            let by_industry = &per[group];
            let (mut total, mut scored, mut weighted, mut n_scored) = (0.0, 0.0, 0.0, 0);
            for (industry, emp) in by_industry {
                total += emp;
                if let Some(e) = exposure.get(industry) {
                    n_scored += 1;
                    scored += emp;
                    weighted += emp * e;
                }
            }
            GroupExposure {
                group: group.to_string(),
                exposure: (scored > 0.0).then(|| weighted / scored),
                total_employment: total,
                scored_employment: scored,
                n_industries: by_industry.len(),
                n_scored,
                coverage: (total > 0.0).then(|| scored / total),
            }
        })
        .collect())
}

/// Group exposures as a table: `group, exposure, total_employment,
/// scored_employment, coverage, n_industries, n_scored`.
pub fn group_table(rows: &[GroupExposure]) -> Table {
    let mut t = Table::new([
        "group",
        "exposure",
        "total_employment",
        "scored_employment",
        "coverage",
        "n_industries",
        "n_scored",
    ]);
    for r in rows {
        t.push(vec![
            r.group.clone().into(),
            r.exposure.into(),
            r.total_employment.into(),
            r.scored_employment.into(),
            r.coverage.into(),
            r.n_industries.into(),
            r.n_scored.into(),
        ]);
    }
    t
}
