//! Dates and the allocation of postings to months.

use chrono::{Datelike, NaiveDate};

use crate::options::YearMonth;

/// The first day of a month (1970-01-01 for a month that does not exist,
/// which `YearMonth::new` never makes).
pub(crate) fn first_day(ym: YearMonth) -> NaiveDate {
    NaiveDate::from_ymd_opt(ym.year, ym.month, 1).unwrap_or_default()
}

/// Number of days of a month.
pub(crate) fn month_len(ym: YearMonth) -> u32 {
    u32::from(first_day(ym).num_days_in_month())
}

/// Day of the week of a `Date32` day, 0 = Monday.
pub(crate) fn weekday(days: i32) -> u32 {
    NaiveDate::from_epoch_days(days).map_or(0, |d| d.weekday().num_days_from_monday())
}

/// Years since January 2017, fractional: the clock of wage growth and mix drift.
/// A fixed origin keeps a month's mix the same whatever window is generated.
pub(crate) fn years_since_2017(ym: YearMonth) -> f64 {
    f64::from(ym.year - 2017) + f64::from(ym.month - 1) / 12.0
}

/// Relative posting volume of a month: board traffic grows about 12% a
/// year, dips at the Spring Festival, peaks in the March–April hiring season
/// (金三银四) and again in September (金九银十), and fell during the first
/// COVID-19 wave (2020-02/03) and the Shanghai lockdown (2022-04/05).
pub(crate) fn volume(ym: YearMonth) -> f64 {
    const SEASON: [f64; 12] = [0.92, 0.72, 1.22, 1.15, 1.02, 0.97, 0.98, 0.99, 1.08, 0.93, 0.98, 0.86];
    let shock = match (ym.year, ym.month) {
        (2020, 2) => 0.45,
        (2020, 3) => 0.75,
        (2020, 4) => 0.9,
        (2022, 4) => 0.82,
        (2022, 5) => 0.9,
        _ => 1.0,
    };
    1.12f64.powf(years_since_2017(ym)) * SEASON[(ym.month - 1) as usize] * shock
}

/// Splits `total` in proportion to `weights` (largest remainder, ties to the
/// earlier month): integer counts that sum exactly to `total`.
pub(crate) fn allocate(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let assigned: u64 = counts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    let mut left = total.saturating_sub(assigned);
    // Float rounding can leave more than one unit per month in extreme cases: cycle.
    while left > 0 {
        for &i in &order {
            if left == 0 {
                break;
            }
            counts[i] += 1;
            left -= 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        let ym = |year, month| YearMonth::new(year, month).unwrap();
        assert_eq!(first_day(ym(2017, 1)).to_epoch_days(), 17_167);
        assert_eq!(weekday(first_day(ym(2022, 12)).to_epoch_days() + 30), 5); // 31 December 2022, a Saturday
        assert_eq!(month_len(YearMonth { year: 2020, month: 2 }), 29);
        assert_eq!(month_len(YearMonth { year: 2100, month: 2 }), 28);
    }

    #[test]
    fn allocation_is_exact() {
        for total in [0, 1, 7, 1000, 200_001] {
            let w = [1.0, 2.5, 0.3, 4.0, 0.0];
            let a = allocate(total, &w);
            assert_eq!(a.iter().sum::<u64>(), total);
            assert_eq!(a[4], 0);
        }
    }
}
