//! Salary strings → monthly CNY bounds, pay months and the stated period.

use super::{NoValue, is_range_sign, read_number};

/// Paid working days in a month: China's statutory 月计薪天数,
/// (365 − 104 weekend days) / 12. A daily rate × this = monthly pay.
pub const DAYS_PER_MONTH: f64 = 21.75;
/// Working hours in a day, for hourly rates (an hourly rate × 8 × 21.75 = monthly pay).
pub const HOURS_PER_DAY: f64 = 8.0;
/// Working weeks in a month: 21.75 days / 5 days a week = 4.35.
pub const WEEKS_PER_MONTH: f64 = DAYS_PER_MONTH / 5.0;

/// Monthly amounts outside this range (CNY) are taken as a parsing accident
/// (`3-5年` read as pay), not pay.
const MIN_MONTHLY: f64 = 1.0;
const MAX_MONTHLY: f64 = 100_000_000.0;

/// The period a posting states its pay in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayBasis {
    /// 时 / 小时: hourly.
    Hour,
    /// 天 / 日: daily.
    Day,
    /// 周: weekly.
    Week,
    /// 月, or no period stated: monthly.
    Month,
    /// 年: yearly (年薪, `20-30万/年`).
    Year,
}

impl PayBasis {
    /// Factor from an amount in this period to a monthly amount: year ÷ 12,
    /// week × 4.35, day × 21.75, hour × 8 × 21.75.
    pub fn to_monthly(self) -> f64 {
        match self {
            PayBasis::Hour => HOURS_PER_DAY * DAYS_PER_MONTH,
            PayBasis::Day => DAYS_PER_MONTH,
            PayBasis::Week => WEEKS_PER_MONTH,
            PayBasis::Month => 1.0,
            PayBasis::Year => 1.0 / 12.0,
        }
    }
}

/// A parsed salary. Bounds are monthly CNY (rounded to the yuan) whatever
/// period the posting used; at least one bound is present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Salary {
    /// Lower bound; `None` for `N以下`.
    pub min: Option<u32>,
    /// Upper bound; `None` for `N以上` / `N起` / `N+`.
    pub max: Option<u32>,
    /// Months paid a year: `·13薪` → 13; 12 when not stated.
    pub months: u8,
    /// The period the amounts were stated in.
    pub basis: PayBasis,
}

impl Salary {
    /// The middle of the range, or the one bound there is.
    pub fn midpoint(&self) -> u32 {
        match (self.min, self.max) {
            (Some(a), Some(b)) => ((u64::from(a) + u64::from(b)) / 2) as u32,
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => 0,
        }
    }
}

/// How an amount's end was qualified.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// 以上 / 起 / +: the amount is a lower bound.
    Above,
    /// 以下 / 以内: the amount is an upper bound.
    Below,
}

/// Characters of words that carry no information for the amount (月薪, 底薪,
/// 税前, 人民币, 左右 …); anything else unexpected makes the string invalid,
/// so that a mis-mapped column is noticed instead of read as pay.
const NOISE: &str = "薪资工底提成待遇税前后人民币每约左右及小综合基本固定";

/// Parses a salary as posted.
///
/// - Units: 元/块 (×1), 百 (×100), 千/k/K (×1,000), 万/w/W (×10,000); a
///   range's end without a unit takes the other end's (`1-1.5万`,
///   `15-25K`), unless that would make it larger than the other end
///   (`5000-1万` stays 5,000).
/// - Ranges with `-`, `~`, `至`, `到`; single values; `以上`, `起`, `+`
///   (lower bound only) and `以下`, `以内` (upper bound only).
/// - Period: 年 (÷ 12), 月 (default), 周 (× [`WEEKS_PER_MONTH`]), 天/日
///   (× [`DAYS_PER_MONTH`]), 时 (× [`HOURS_PER_DAY`] × [`DAYS_PER_MONTH`]);
///   pay per piece (次, 单, 件) is invalid: it has no monthly equivalent.
/// - `N薪` sets the months paid a year (1–24).
/// - 面议 / 面谈 → [`NoValue::Negotiable`]; empty → [`NoValue::Missing`].
pub fn parse_salary(text: &str) -> Result<Salary, NoValue> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NoValue::Missing);
    }
    if t.contains("面议") || t.contains("面谈") {
        return Err(NoValue::Negotiable);
    }
    Reading::of(t)?.salary()
}

/// What a salary string says, read left to right: up to two amounts, each
/// with its unit multiplier if one was written, and the signs around them.
#[derive(Default)]
struct Reading {
    amounts: [(f64, Option<f64>); 2],
    n: usize,
    range: bool,
    open: Option<Open>,
    basis: Option<PayBasis>,
    months: Option<u8>,
}

impl Reading {
    fn of(t: &str) -> Result<Reading, NoValue> {
        let mut r = Reading::default();
        let mut rest = t;
        while let Some(c) = rest.chars().next() {
            if let Some((value, len)) = read_number(rest) {
                rest = r.number(value, &rest[len..])?;
                continue;
            }
            let mut tail = rest.chars();
            tail.next();
            r.sign(c, &mut tail)?;
            rest = tail.as_str();
        }
        Ok(r)
    }

    /// A number and what follows it: pay months (`13薪`) or an amount with its
    /// unit; returns the text after them.
    fn number<'t>(&mut self, value: f64, after: &'t str) -> Result<&'t str, NoValue> {
        let after = after.trim_start();
        let mut tail = after.chars();
        let next = tail.next();
        if next == Some('薪') {
            if value.fract() != 0.0 || !(1.0..=24.0).contains(&value) {
                return Err(NoValue::Invalid("implausible pay months"));
            }
            self.months = Some(value as u8);
            return Ok(tail.as_str());
        }
        if self.n == 2 {
            return Err(NoValue::Invalid("more than two amounts"));
        }
        if self.n == 1 && !self.range {
            return Err(NoValue::Invalid("two amounts without a range sign"));
        }
        let unit = next.and_then(unit);
        self.amounts[self.n] = (value, unit);
        self.n += 1;
        Ok(if unit.is_some() { tail.as_str() } else { after })
    }

    /// A character that is not part of a number (`tail` is the text after it,
    /// advanced past a second character that belongs to it).
    fn sign(&mut self, c: char, tail: &mut std::str::Chars<'_>) -> Result<(), NoValue> {
        match c {
            c if is_range_sign(c) => {
                if self.n != 1 || self.range {
                    return Err(NoValue::Invalid("misplaced range sign"));
                }
                self.range = true;
            }
            '以' => match tail.next() {
                Some('上') => self.open = Some(Open::Above),
                Some('下' | '内') => self.open = Some(Open::Below),
                _ => return Err(NoValue::Invalid("unexpected text")),
            },
            '起' | '+' => self.open = Some(Open::Above),
            '年' | '月' | '周' | '天' | '日' | '时' => {
                let b = match c {
                    '年' => PayBasis::Year,
                    '月' => PayBasis::Month,
                    '周' => PayBasis::Week,
                    '天' | '日' => PayBasis::Day,
                    _ => PayBasis::Hour,
                };
                if self.basis.is_some_and(|old| old != b) {
                    return Err(NoValue::Invalid("conflicting pay periods"));
                }
                self.basis = Some(b);
            }
            '次' | '单' | '件' => return Err(NoValue::Invalid("pay per piece")),
            // A unit not right after a number (`8000 - 10000 元`): a spelling
            // of the default, nothing to do.
            '元' | '块' => {}
            c if c.is_whitespace() || "/·•*:：,，、()（）".contains(c) || NOISE.contains(c) => {}
            _ => return Err(NoValue::Invalid("unexpected text")),
        }
        Ok(())
    }

    /// The monthly bounds the reading stands for.
    fn salary(self) -> Result<Salary, NoValue> {
        let basis = self.basis.unwrap_or(PayBasis::Month);
        let months = self.months.unwrap_or(12);
        let factor = basis.to_monthly();
        let monthly = |v: f64| -> Result<u32, NoValue> {
            let m = v * factor;
            if m <= 0.0 {
                Err(NoValue::Invalid("zero amount"))
            } else if !(MIN_MONTHLY..=MAX_MONTHLY).contains(&m) {
                Err(NoValue::Invalid("implausible amount"))
            } else {
                Ok(m.round() as u32)
            }
        };
        let (min, max) = match self.n {
            0 => return Err(NoValue::Invalid("no amount")),
            1 if self.range => return Err(NoValue::Invalid("range without an upper bound")),
            1 => {
                let (v, u) = self.amounts[0];
                let m = monthly(v * u.unwrap_or(1.0))?;
                match self.open {
                    Some(Open::Above) => (Some(m), None),
                    Some(Open::Below) => (None, Some(m)),
                    None => (Some(m), Some(m)),
                }
            }
            _ => {
                let [(a, ua), (b, ub)] = self.amounts;
                // An end without a unit borrows the other's, if that keeps a ≤ b.
                let ua = ua.or(ub.filter(|_| a <= b)).unwrap_or(1.0);
                let ub = ub.or(Some(ua).filter(|_| a <= b)).unwrap_or(1.0);
                let (lo, hi) = (monthly(a * ua)?, monthly(b * ub)?);
                if lo > hi {
                    return Err(NoValue::Invalid("minimum above maximum"));
                }
                (Some(lo), Some(hi))
            }
        };
        Ok(Salary { min, max, months, basis })
    }
}

/// The multiplier of a unit character.
fn unit(c: char) -> Option<f64> {
    match c {
        '元' | '块' => Some(1.0),
        '百' => Some(100.0),
        '千' | 'k' | 'K' => Some(1_000.0),
        '万' | 'w' | 'W' => Some(10_000.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(min: Option<u32>, max: Option<u32>, months: u8, basis: PayBasis) -> Result<Salary, NoValue> {
        Ok(Salary { min, max, months, basis })
    }

    fn m(min: u32, max: u32) -> Result<Salary, NoValue> {
        s(Some(min), Some(max), 12, PayBasis::Month)
    }

    /// Real strings from the zhilian-2024, 51job-2019 and jobspider-2019
    /// samples (after the importers' unwrapping), plus the synthetic formats.
    #[test]
    fn real_strings() {
        use PayBasis::*;
        let cases = [
            // zhilian-2024
            ("8千-1.1万", m(8_000, 11_000)),
            ("1万-1.5万", m(10_000, 15_000)),
            ("1.5万-2.5万", m(15_000, 25_000)),
            ("1.2-2万·13薪", s(Some(12_000), Some(20_000), 13, Month)),
            ("1万-1.5万·13薪", s(Some(10_000), Some(15_000), 13, Month)),
            ("1.5万-3万·14薪", s(Some(15_000), Some(30_000), 14, Month)),
            ("6千-8千", m(6_000, 8_000)),
            ("5千-1万元/月", m(5_000, 10_000)),
            ("3万-6万元/月", m(30_000, 60_000)),
            ("150-200/天", s(Some(3_263), Some(4_350), 12, Day)),
            ("10-100/天", s(Some(218), Some(2_175), 12, Day)),
            ("3千以下", s(None, Some(3_000), 12, Month)),
            ("4500元/月", m(4_500, 4_500)),
            ("200元/天", s(Some(4_350), Some(4_350), 12, Day)),
            ("100-150元/时", s(Some(17_400), Some(26_100), 12, Hour)),
            ("25元/时", s(Some(4_350), Some(4_350), 12, Hour)),
            ("2000-3000元/周", s(Some(8_700), Some(13_050), 12, Week)),
            ("800-1600元/次", Err(NoValue::Invalid("pay per piece"))),
            ("面议", Err(NoValue::Negotiable)),
            // 51job-2019
            ("1-1.5万/月", m(10_000, 15_000)),
            ("4.5-6千/月", m(4_500, 6_000)),
            ("0.8-1万/月", m(8_000, 10_000)),
            ("20-30万/年", s(Some(16_667), Some(25_000), 12, Year)),
            ("150元/天", s(Some(3_263), Some(3_263), 12, Day)),
            ("100万以上/年", s(Some(83_333), None, 12, Year)),
            ("6万以下/年", s(None, Some(5_000), 12, Year)),
            ("1.5千以下/月", s(None, Some(1_500), 12, Month)),
            ("5万以上/月", s(Some(50_000), None, 12, Month)),
            // BOSS直聘 / 拉勾 / 猎聘 2019
            ("15-25K", m(15_000, 25_000)),
            ("15-20K·14薪", s(Some(15_000), Some(20_000), 14, Month)),
            ("10k-20k", m(10_000, 20_000)),
            ("15K-25K", m(15_000, 25_000)),
            ("10k以上", s(Some(10_000), None, 12, Month)),
            ("10k-20k·14薪", s(Some(10_000), Some(20_000), 14, Month)),
            ("150-200/天", s(Some(3_263), Some(4_350), 12, Day)),
            ("18-36万/年", s(Some(15_000), Some(30_000), 12, Year)),
            ("面议/年", Err(NoValue::Negotiable)),
            // other spellings
            ("6000-8000元/月", m(6_000, 8_000)),
            ("4000以上", s(Some(4_000), None, 12, Month)),
            ("8000+", s(Some(8_000), None, 12, Month)),
            ("3000起", s(Some(3_000), None, 12, Month)),
            ("5000-1万", m(5_000, 10_000)),
            ("8000 ~ 10000 元", m(8_000, 10_000)),
            ("8000至1万", m(8_000, 10_000)),
            ("月薪：8000-12000", m(8_000, 12_000)),
            ("年薪20万", s(Some(16_667), Some(16_667), 12, Year)),
            ("底薪4000+提成", s(Some(4_000), None, 12, Month)),
            ("１．２-２万", m(12_000, 20_000)),
            ("1-1.5w", m(10_000, 15_000)),
            ("薪资面议", Err(NoValue::Negotiable)),
            ("", Err(NoValue::Missing)),
            ("   ", Err(NoValue::Missing)),
            ("若干", Err(NoValue::Invalid("unexpected text"))),
            ("本科", Err(NoValue::Invalid("unexpected text"))),
            ("3-5年", Err(NoValue::Invalid("implausible amount"))),
            ("元/月", Err(NoValue::Invalid("no amount"))),
            ("8000 10000", Err(NoValue::Invalid("two amounts without a range sign"))),
            ("1-2-3万", Err(NoValue::Invalid("misplaced range sign"))),
            ("2万-1万", Err(NoValue::Invalid("minimum above maximum"))),
            ("0-0", Err(NoValue::Invalid("zero amount"))),
            ("5000-", Err(NoValue::Invalid("range without an upper bound"))),
            ("1万/月 10万/年", Err(NoValue::Invalid("two amounts without a range sign"))),
            ("1-2万 3万", Err(NoValue::Invalid("more than two amounts"))),
            ("1万/年/月", Err(NoValue::Invalid("conflicting pay periods"))),
            ("1万·99薪", Err(NoValue::Invalid("implausible pay months"))),
            ("18-36万\n72小时反馈", Err(NoValue::Invalid("more than two amounts"))),
            ("99999999999万", Err(NoValue::Invalid("implausible amount"))),
        ];
        for (text, want) in cases {
            assert_eq!(parse_salary(text), want, "{text:?}");
        }
    }

    #[test]
    fn constants_and_midpoint() {
        assert_eq!(PayBasis::Hour.to_monthly(), 174.0);
        assert!((WEEKS_PER_MONTH - 4.35).abs() < 1e-12);
        assert_eq!(parse_salary("8千-1.2万").unwrap().midpoint(), 10_000);
        assert_eq!(parse_salary("4000以上").unwrap().midpoint(), 4_000);
    }

    #[test]
    fn never_panics_and_bounds_hold() {
        super::super::fuzz::strings(100_000, |t| {
            if let Ok(s) = parse_salary(t) {
                assert!(s.min.is_some() || s.max.is_some(), "{t:?}");
                if let (Some(a), Some(b)) = (s.min, s.max) {
                    assert!(a <= b, "{t:?}");
                }
                assert!((1..=24).contains(&s.months), "{t:?}");
            }
        });
    }
}
