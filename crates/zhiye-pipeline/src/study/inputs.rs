//! The published tables the analyses read back from the output folder.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use zhiye_analysis::analyses::IndustryWeight;
use zhiye_core::{Level, OcdCode};

use crate::{PipelineError, Result};

/// One row of `occupation_summary` (a classified code at one level).
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    /// The level.
    pub level: Level,
    /// The code (as written at its level).
    pub code: OcdCode,
    /// Its name.
    pub name: String,
    /// Postings.
    pub postings: u64,
    /// Vacancies.
    pub vacancies: u64,
    /// Share of all vacancies over the period.
    pub vacancy_share: f64,
    /// Mean monthly wage.
    pub wage_mean: Option<f64>,
    /// Share of postings that mention AI skills.
    pub ai_share: Option<f64>,
    /// CAGR of the vacancy share.
    pub share_cagr: Option<f64>,
    /// Experience premium: slope of log wage on years.
    pub premium_slope: Option<f64>,
    /// Observations of the premium regression.
    pub premium_n: Option<u64>,
}

/// Reads `out/NAME.parquet` whole.
pub fn read_table(out: &Path, name: &str) -> Result<RecordBatch> {
    let path = out.join(format!("{name}.parquet"));
    let file = std::fs::File::open(&path).map_err(|source| PipelineError::NoRun { path: path.clone(), source })?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|source| PipelineError::Parquet { path: path.clone(), source })?;
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let arrow = |source| PipelineError::Arrow { path: path.clone(), source };
    let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().map_err(arrow)?;
    arrow::compute::concat_batches(&schema, &batches).map_err(arrow)
}

struct Columns<'b> {
    batch: &'b RecordBatch,
    path: String,
}

impl<'b> Columns<'b> {
    fn get(&self, name: &str) -> Result<&'b dyn Array> {
        self.batch.column_by_name(name).map(|a| a.as_ref()).ok_or_else(|| PipelineError::Input {
            path: self.path.clone().into(),
            row: 0,
            field: name.into(),
            message: "missing column".into(),
        })
    }

    fn f64(&self, name: &str, i: usize) -> Result<Option<f64>> {
        let a = self.get(name)?.as_primitive::<Float64Type>();
        Ok((!a.is_null(i)).then(|| a.value(i)).filter(|x| x.is_finite()))
    }

    fn i64(&self, name: &str, i: usize) -> Result<Option<i64>> {
        let a = self.get(name)?.as_primitive::<Int64Type>();
        Ok((!a.is_null(i)).then(|| a.value(i)))
    }

    fn str(&self, name: &str, i: usize) -> Result<Option<&'b str>> {
        let a = self.get(name)?.as_string::<i32>();
        Ok((!a.is_null(i)).then(|| a.value(i)))
    }
}

fn level_of(name: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| l.name() == name)
}

/// A code as the tables write it at `level` (`1-01-00` is a small class there).
fn code_at(text: &str, level: Level) -> Option<OcdCode> {
    let mut parts = [0u8; 4];
    for (n, p) in text.split('-').enumerate() {
        *parts.get_mut(n)? = p.parse().ok()?;
    }
    // Fine rows of undivided small classes (`2-03-01-00`) are small codes.
    OcdCode::new(parts, level).or_else(|| OcdCode::new(parts, Level::Small).filter(|_| level == Level::Fine))
}

/// The classified codes of `occupation_summary` at every level.
pub fn read_summary(out: &Path) -> Result<Vec<SummaryRow>> {
    let batch = read_table(out, "occupation_summary")?;
    let c = Columns { batch: &batch, path: out.join("occupation_summary.parquet").display().to_string() };
    let mut rows = Vec::new();
    for i in 0..batch.num_rows() {
        let (Some(level), Some(code)) = (c.str("level", i)?.and_then(level_of), c.str("code", i)?) else { continue };
        let Some(code) = code_at(code, level) else { continue };
        rows.push(SummaryRow {
            level,
            code,
            name: c.str("name", i)?.unwrap_or_default().to_string(),
            postings: c.i64("postings", i)?.unwrap_or(0) as u64,
            vacancies: c.i64("vacancies", i)?.unwrap_or(0) as u64,
            vacancy_share: c.f64("vacancy_share", i)?.unwrap_or(0.0),
            wage_mean: c.f64("wage_mean", i)?,
            ai_share: c.f64("ai_share", i)?,
            share_cagr: c.f64("share_cagr", i)?,
            premium_slope: c.f64("premium_slope", i)?,
            premium_n: c.i64("premium_n", i)?.map(|n| n as u64),
        });
    }
    Ok(rows)
}

/// Vacancies per fine occupation × industry, from `occupation_industry`: the
/// intensities of industry exposure when no matrix is supplied.
pub fn read_industry_weights(out: &Path) -> Result<Vec<IndustryWeight>> {
    let batch = read_table(out, "occupation_industry")?;
    let c = Columns { batch: &batch, path: out.join("occupation_industry.parquet").display().to_string() };
    let mut rows = Vec::new();
    for i in 0..batch.num_rows() {
        if c.str("level", i)? != Some("fine") {
            continue;
        }
        let (Some(code), Some(industry)) =
            (c.str("code", i)?.and_then(|t| code_at(t, Level::Fine)), c.str("industry", i)?)
        else {
            continue;
        };
        let weight = c.i64("vacancies", i)?.unwrap_or(0) as f64;
        rows.push(IndustryWeight { code, level: Level::Fine, industry: industry.to_string(), weight });
    }
    Ok(rows)
}
