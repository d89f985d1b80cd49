//! [`Generator`]: the tables built once from the taxonomy, and the month
//! calendar.

use std::fmt;

use zhiye_core::Taxonomy;

use crate::SynthError;
use crate::board_title::BoardTitles;
use crate::calendar::{allocate, volume};
use crate::company::CompanyPool;
use crate::mix::{Occupation, industry_demand, industry_tables, occupations};
use crate::month::MonthBatches;
use crate::options::{GeneratorOptions, TitleStyle, YearMonth};
use crate::rng::{Weighted, derive};
use crate::segment::Segment;
use crate::tables::CITIES;

/// Stream number of the company pool (months use their index).
const COMPANY_STREAM: u64 = u64::MAX;

/// Builds synthetic postings month by month. Building it prepares the
/// occupation mix, the employer pool and the month allocation; each month
/// then draws from its own random stream, so months can be generated in any
/// order and on any thread with identical results.
pub struct Generator {
    pub(crate) options: GeneratorOptions,
    months: Vec<YearMonth>,
    allocation: Vec<u64>,
    pub(crate) occs: Vec<Occupation>,
    pub(crate) industry_tables: Vec<Weighted>,
    /// City draws by segment.
    pub(crate) city_tables: Vec<Weighted>,
    pub(crate) exp_tables: Vec<Weighted>,
    pub(crate) edu_tables: Vec<Weighted>,
    pub(crate) companies: CompanyPool,
    /// The board-like title law, with [`TitleStyle::Boards`](crate::TitleStyle).
    pub(crate) board_titles: Option<BoardTitles>,
}

impl fmt::Debug for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("options", &self.options)
            .field("months", &self.months.len())
            .field("occupations", &self.occs.len())
            .field("companies", &self.companies.companies.len())
            .finish()
    }
}

impl Generator {
    /// Prepares the generator; fails on invalid options or a taxonomy
    /// without occupations.
    pub fn new(taxonomy: &Taxonomy, options: GeneratorOptions) -> Result<Generator, SynthError> {
        options.validate()?;
        let occs = occupations(taxonomy);
        if occs.is_empty() {
            return Err(SynthError::NoOccupations);
        }
        let n = (options.last_month.ordinal() - options.first_month.ordinal() + 1) as usize;
        let months: Vec<YearMonth> = (0..n).map(|i| options.first_month.plus(i)).collect();
        let weights: Vec<f64> = months.iter().map(|&m| volume(m)).collect();
        let allocation = allocate(options.postings, &weights);
        let city_tables = Segment::ALL.iter().map(|s| city_table(&s.params().tiers)).collect::<Vec<_>>();
        let exp_tables = Segment::ALL.iter().map(|s| Weighted::fixed(&s.params().exp)).collect();
        let edu_tables = Segment::ALL.iter().map(|s| Weighted::fixed(&s.params().edu)).collect();
        // About a dozen postings per employer on average; the Pareto volume
        // makes the big ones post hundreds.
        let size = usize::try_from(options.postings / 12).unwrap_or(usize::MAX).clamp(1_000, 250_000);
        let companies =
            CompanyPool::build(derive(options.seed, COMPANY_STREAM), size, &industry_demand(&occs), &city_tables);
        let board_titles = (options.titles == TitleStyle::Boards).then(|| BoardTitles::new(options.seed));
        Ok(Generator {
            board_titles,
            industry_tables: industry_tables(),
            options,
            months,
            allocation,
            occs,
            city_tables,
            exp_tables,
            edu_tables,
            companies,
        })
    }

    /// The options the generator was built with.
    pub fn options(&self) -> &GeneratorOptions {
        &self.options
    }

    /// Number of months in the window (72 for the default 2017-01 to 2022-12).
    pub fn months(&self) -> usize {
        self.months.len()
    }

    /// The month `m` (0-based) of the window.
    pub fn month(&self, m: usize) -> Option<YearMonth> {
        self.months.get(m).copied()
    }

    /// `YYYY-MM` of month `m`; empty past the window.
    pub fn month_label(&self, m: usize) -> String {
        self.month(m).map(|ym| ym.to_string()).unwrap_or_default()
    }

    /// Postings of month `m` (reposts included): a deterministic allocation
    /// that grows over the years with seasonal dips and sums exactly to
    /// [`GeneratorOptions::postings`]; 0 past the window.
    pub fn postings_in_month(&self, m: usize) -> u64 {
        self.allocation.get(m).copied().unwrap_or(0)
    }

    /// The postings of month `m` as record batches of the canonical
    /// [`zhiye_ingest::posting_schema`], at most `batch_rows` rows each
    /// (at least 1). Generated lazily: memory stays at one batch.
    pub fn month_batches(&self, m: usize, batch_rows: usize) -> MonthBatches<'_> {
        MonthBatches::new(self, m, batch_rows.max(1))
    }
}

/// City draws for a segment: `tiers` are the shares of the four tiers,
/// spread within a tier by city size.
fn city_table(tiers: &[f64; 4]) -> Weighted {
    let mut tier_total = [0.0f64; 4];
    for c in CITIES {
        tier_total[c.tier.index()] += c.weight;
    }
    let w: Vec<f64> = CITIES.iter().map(|c| tiers[c.tier.index()] * c.weight / tier_total[c.tier.index()]).collect();
    Weighted::fixed(&w)
}
