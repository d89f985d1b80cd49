//! Posting dates → calendar dates (Arrow `Date32` days).

use chrono::{Datelike, NaiveDate};

use super::{NoValue, digit};

/// A valid calendar date (proleptic Gregorian, years 1–9999).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// The date, if it exists (`2019-02-29` does not).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).filter(|_| (1..=9999).contains(&year)).map(Date)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.0.month()
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// Days since 1970-01-01: the Arrow `Date32` value.
    pub fn days_since_epoch(self) -> i32 {
        self.0.to_epoch_days()
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// Reads an unsigned integer at the start of `s`: value, digit count, bytes.
fn read_int(s: &str) -> Option<(u32, usize, usize)> {
    let mut value = 0u32;
    let mut digits = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let Some(d) = digit(c) else { break };
        value = value.saturating_mul(10).saturating_add(d);
        digits += 1;
        end = i + c.len_utf8();
    }
    (digits > 0).then_some((value, digits, end))
}

/// Parses a posting date in the forms boards print.
///
/// - `2019-08-21`, `2019/8/21`, `2019.8.21`, `2019年8月21日`, `20190821`;
/// - `08-21`, `8月21日`, `08-21发布` when `default_year` is given (list pages
///   omit the current year: the importer's mapping supplies it);
/// - text after the date is ignored (`2019-08-21 10:30`, `08-21发布`).
///
/// Relative dates (`今天`, `3天前`) are invalid: they need the scrape date,
/// which the text does not carry. So are day-first dates (`21/08/2019`).
pub fn parse_date(text: &str, default_year: Option<i32>) -> Result<Date, NoValue> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NoValue::Missing);
    }
    if ["今天", "昨天", "前天", "刚刚", "前"].iter().any(|w| t.contains(w)) {
        return Err(NoValue::Invalid("relative date"));
    }
    // Up to three numbers, each followed by one separator.
    let mut nums = [(0u32, 0usize); 3];
    let mut n = 0;
    let mut rest = t;
    while n < 3 {
        let Some((v, digits, len)) = read_int(rest) else { break };
        nums[n] = (v, digits);
        n += 1;
        rest = &rest[len..];
        let mut tail = rest.chars();
        match tail.next() {
            Some('-' | '/' | '.' | '年' | '月' | '－' | '／') if n < 3 => rest = tail.as_str(),
            _ => break,
        }
    }
    let short = |i: usize| nums[i].1 <= 2;
    let (y, m, d) = match n {
        1 if nums[0].1 == 8 => (nums[0].0 / 10_000, nums[0].0 / 100 % 100, nums[0].0 % 100),
        2 if short(0) && short(1) => match default_year {
            Some(y) => (y.max(0) as u32, nums[0].0, nums[1].0),
            None => return Err(NoValue::Invalid("no year")),
        },
        3 if nums[0].1 == 4 && short(1) && short(2) => (nums[0].0, nums[1].0, nums[2].0),
        3 if nums[2].1 == 4 => return Err(NoValue::Invalid("day-first date")),
        _ => return Err(NoValue::Invalid("not a date")),
    };
    Date::new(y.min(i32::MAX as u32) as i32, m, d).ok_or(NoValue::Invalid("no such day"))
}

/// A date pattern from a mapping: `%Y` (4-digit year), `%m` (month, 1–2
/// digits), `%d` (day, 1–2 digits), `%%` (a percent sign); every other
/// character must appear as written. Text after the pattern is ignored.
/// Without `%Y` the year comes from the caller's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat {
    items: Vec<Item>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Year,
    Month,
    Day,
    Lit(char),
}

impl DateFormat {
    /// Compiles a pattern such as `%Y-%m-%d` or `%m-%d发布`.
    pub fn new(pattern: &str) -> Result<DateFormat, String> {
        let mut items = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            items.push(match c {
                '%' => match chars.next() {
                    Some('Y') => Item::Year,
                    Some('m') => Item::Month,
                    Some('d') => Item::Day,
                    Some('%') => Item::Lit('%'),
                    other => {
                        return Err(format!("date format {pattern:?}: unknown directive %{}", other.unwrap_or(' ')));
                    }
                },
                c => Item::Lit(c),
            });
        }
        for need in [Item::Month, Item::Day] {
            if !items.contains(&need) {
                return Err(format!("date format {pattern:?}: needs %m and %d"));
            }
        }
        Ok(DateFormat { items })
    }

    /// Whether the pattern has a year (`%Y`).
    pub fn has_year(&self) -> bool {
        self.items.contains(&Item::Year)
    }

    /// Parses `text` with this pattern; a pattern without `%Y` takes
    /// `default_year`.
    pub fn parse(&self, text: &str, default_year: Option<i32>) -> Result<Date, NoValue> {
        let t = text.trim();
        if t.is_empty() {
            return Err(NoValue::Missing);
        }
        let mismatch = NoValue::Invalid("does not match the date format");
        let (mut y, mut m, mut d) = (default_year.map(|y| y.max(0) as u32), 0, 0);
        let mut rest = t;
        for item in &self.items {
            if let Item::Lit(c) = item {
                rest = rest.strip_prefix(*c).ok_or(mismatch)?;
                continue;
            }
            let (v, digits, len) = read_int(rest).ok_or(mismatch)?;
            let ok = match item {
                Item::Year => digits == 4,
                _ => digits <= 2,
            };
            if !ok {
                return Err(mismatch);
            }
            match item {
                Item::Year => y = Some(v),
                Item::Month => m = v,
                _ => d = v,
            }
            rest = &rest[len..];
        }
        let y = y.ok_or(NoValue::Invalid("no year"))?;
        Date::new(y.min(i32::MAX as u32) as i32, m, d).ok_or(NoValue::Invalid("no such day"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Result<Date, NoValue> {
        Ok(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn real_strings() {
        let cases = [
            // 51job-2019 (the only dated sample), after unwrapping
            ("2019-09-13", None, ymd(2019, 9, 13)),
            ("2019-08-21", None, ymd(2019, 8, 21)),
            ("2019-07-15", None, ymd(2019, 7, 15)),
            // 51job list pages and other boards
            ("08-21发布", Some(2019), ymd(2019, 8, 21)),
            ("08-21", None, Err(NoValue::Invalid("no year"))),
            ("2019/8/21", None, ymd(2019, 8, 21)),
            ("2019.8.21", None, ymd(2019, 8, 21)),
            ("2019年8月21日", None, ymd(2019, 8, 21)),
            ("8月21日", Some(2019), ymd(2019, 8, 21)),
            ("20190821", None, ymd(2019, 8, 21)),
            ("2019-08-21 10:23:45", None, ymd(2019, 8, 21)),
            ("2020-02-29", None, ymd(2020, 2, 29)),
            ("2019-02-29", None, Err(NoValue::Invalid("no such day"))),
            ("2019-13-01", None, Err(NoValue::Invalid("no such day"))),
            ("21/08/2019", None, Err(NoValue::Invalid("day-first date"))),
            ("3天前发布", Some(2019), Err(NoValue::Invalid("relative date"))),
            ("今天", None, Err(NoValue::Invalid("relative date"))),
            ("2019", None, Err(NoValue::Invalid("not a date"))),
            ("201-08", Some(2019), Err(NoValue::Invalid("not a date"))),
            ("[]", None, Err(NoValue::Invalid("not a date"))),
            ("", None, Err(NoValue::Missing)),
        ];
        for (text, year, want) in cases {
            assert_eq!(parse_date(text, year), want, "{text:?}");
        }
    }

    #[test]
    fn formats() {
        let f = DateFormat::new("%Y-%m-%d").unwrap();
        assert!(f.has_year());
        assert_eq!(f.parse("2019-09-13", None), ymd(2019, 9, 13));
        assert_eq!(f.parse("2019-9-3 10:00", None), ymd(2019, 9, 3));
        assert_eq!(f.parse("2019/09/13", None), Err(NoValue::Invalid("does not match the date format")));
        let f = DateFormat::new("%m-%d发布").unwrap();
        assert!(!f.has_year());
        assert_eq!(f.parse("08-21发布", Some(2019)), ymd(2019, 8, 21));
        assert_eq!(f.parse("08-21发布", None), Err(NoValue::Invalid("no year")));
        assert_eq!(DateFormat::new("%Y年%m月%d日").unwrap().parse("2019年8月21日", None), ymd(2019, 8, 21));
        assert!(DateFormat::new("%Y-%q").is_err());
        assert!(DateFormat::new("%Y-%m").is_err());
    }

    #[test]
    fn epoch_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2019, 9, 13).unwrap().days_since_epoch(), 18_152);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
        assert_eq!(Date::new(2019, 9, 13).unwrap().to_string(), "2019-09-13");
    }

    #[test]
    fn never_panics() {
        let f = DateFormat::new("%Y-%m-%d").unwrap();
        super::super::fuzz::strings(100_000, |t| {
            let _ = parse_date(t, Some(2019));
            let _ = f.parse(t, None);
        });
    }
}
