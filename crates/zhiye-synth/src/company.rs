//! The employer pool: companies with a home city and an industry, and
//! Pareto-distributed hiring volume, so a few employers post a great deal.

use crate::rng::{Rng, Weighted};
use crate::tables::{CITIES, COMPANY_SUFFIXES, INDUSTRIES, SYLLABLES};

/// One employer.
#[derive(Debug)]
pub(crate) struct Company {
    pub name: String,
    /// Trade name (字号), for titles such as `华盛公司招聘…`.
    pub trade: String,
    pub city: usize,
    /// Among the largest employers: pays a little more, posts a lot.
    pub big: bool,
}

/// Companies grouped by industry, each group with an alias table of hiring volume.
#[derive(Debug)]
pub(crate) struct CompanyPool {
    pub companies: Vec<Company>,
    by_industry: Vec<(Vec<u32>, Weighted)>,
}

/// Pareto tail index of hiring volume (smaller: more concentrated).
const PARETO_ALPHA: f64 = 1.16;
/// Volume above which an employer counts as big (about the top 9%).
const BIG: f64 = 8.0;

impl CompanyPool {
    /// Builds about `size` companies, split over industries in proportion to
    /// `demand`, with home cities drawn from `city_tables` (by the segment of
    /// the industry).
    pub(crate) fn build(seed: u64, size: usize, demand: &[f64], city_tables: &[Weighted]) -> CompanyPool {
        let mut rng = Rng::new(seed);
        let suffixes = Weighted::fixed(&COMPANY_SUFFIXES.iter().map(|s| s.1).collect::<Vec<_>>());
        let total: f64 = demand.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let mut companies = Vec::with_capacity(size + 8 * INDUSTRIES.len());
        let mut by_industry = Vec::with_capacity(INDUSTRIES.len());
        for (ii, ind) in INDUSTRIES.iter().enumerate() {
            let n = ((size as f64 * demand.get(ii).copied().unwrap_or(0.0) / total).round() as usize).max(8);
            let mut ids = Vec::with_capacity(n);
            let mut volume = Vec::with_capacity(n);
            for _ in 0..n {
                let w = (1.0 - rng.unit()).powf(-1.0 / PARETO_ALPHA).min(150.0);
                let city = city_tables[ind.segment.index()].sample(&mut rng);
                let trade = trade_name(&mut rng);
                let name = company_name(&mut rng, &trade, CITIES[city].name, ind.words, &suffixes);
                ids.push(companies.len() as u32);
                volume.push(w);
                companies.push(Company { name, trade, city, big: w > BIG });
            }
            by_industry.push((ids, Weighted::fixed(&volume)));
        }
        CompanyPool { companies, by_industry }
    }

    /// An employer of `industry`, by hiring volume.
    pub(crate) fn pick(&self, industry: usize, rng: &mut Rng) -> usize {
        let (ids, table) = &self.by_industry[industry];
        ids[table.sample(rng)] as usize
    }
}

fn trade_name(rng: &mut Rng) -> String {
    let n = match rng.unit() {
        r if r < 0.85 => 2,
        r if r < 0.95 => 3,
        _ => 4,
    };
    let mut s = String::with_capacity(3 * n);
    for _ in 0..n {
        s.push_str(rng.pick(SYLLABLES));
    }
    s
}

/// `深圳市华智网络科技有限公司`, `华智网络科技（深圳）有限公司`, `华智网络科技有限公司深圳分公司` …
fn company_name(rng: &mut Rng, trade: &str, city: &str, words: &[&str], suffixes: &Weighted) -> String {
    let word = rng.pick(words);
    let suffix = COMPANY_SUFFIXES[suffixes.sample(rng)].0;
    match rng.unit() {
        r if r < 0.5 => {
            let shi = if rng.chance(0.5) { "市" } else { "" };
            format!("{city}{shi}{trade}{word}{suffix}")
        }
        r if r < 0.62 => format!("{trade}{word}（{city}）{suffix}"),
        r if r < 0.9 => format!("{trade}{word}{suffix}"),
        r if r < 0.96 => format!("{trade}{word}{suffix}{city}分公司"),
        // Brand names as some boards show them.
        _ => format!("{city}{trade}"),
    }
}
