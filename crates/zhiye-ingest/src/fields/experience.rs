//! Experience requirements → years.

use super::{NoValue, is_range_sign, read_number};

/// Years beyond this are taken as a parsing accident.
const MAX_YEARS: f64 = 60.0;

/// A parsed experience requirement in whole years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Experience {
    /// Minimum years (0 for none required).
    pub min: u8,
    /// Maximum years; `None` when open-ended (`3年以上`, `经验不限`).
    pub max: Option<u8>,
}

impl Experience {
    /// No requirement (`经验不限`, `不限`): 0 years, no upper bound.
    pub const ANY: Experience = Experience { min: 0, max: None };
    /// No experience, or a fresh graduate (`无经验`, `应届生`, `在校/应届`): 0..0.
    pub const NONE: Experience = Experience { min: 0, max: Some(0) };
}

/// Parses an experience requirement as posted.
///
/// | text | years |
/// |---|---|
/// | `1-3年`, `3-4年工作经验` | 1..3, 3..4 |
/// | `3年以上`, `10年以上工作经验` | 3..∞, 10..∞ |
/// | `1年以下`, `1年以内` | 0..1 |
/// | `2年`, `2年工作经验` | 2..2 |
/// | `经验不限`, `不限` | 0..∞ ([`Experience::ANY`]) |
/// | `无经验`, `无工作经验`, `应届生`, `应届毕业生`, `在校/应届` | 0..0 ([`Experience::NONE`]) |
///
/// A number must be followed by 年: `5天/周` or `6个月` are invalid, and so
/// is an education string (`本科`, `学历不限`), which lets importers tell
/// the two apart when a board shifts its columns. Trailing text after the
/// years is ignored (`1-3年学历不限` → 1..3).
pub fn parse_experience(text: &str) -> Result<Experience, NoValue> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NoValue::Missing);
    }
    if let Some(start) = t.find(|c: char| super::digit(c).is_some()) {
        return years(&t[start..]);
    }
    if t.contains("学历") {
        Err(NoValue::Invalid("an education requirement"))
    } else if t.contains("不限") {
        Ok(Experience::ANY)
    } else if ["无经验", "无工作经验", "无需经验", "不需要经验", "应届", "在校", "毕业生"].iter().any(|k| t.contains(k))
    {
        Ok(Experience::NONE)
    } else {
        Err(NoValue::Invalid("no years"))
    }
}

/// Parses `N年…`, `N-M年…` from the first digit on.
fn years(s: &str) -> Result<Experience, NoValue> {
    let (a, len) = read_number(s).ok_or(NoValue::Invalid("no years"))?;
    let mut rest = s[len..].trim_start();
    let mut b = None;
    if let Some(c) = rest.chars().next().filter(|&c| is_range_sign(c)) {
        let after = rest[c.len_utf8()..].trim_start();
        let (v, len) = read_number(after).ok_or(NoValue::Invalid("range without an upper bound"))?;
        b = Some(v);
        rest = after[len..].trim_start();
    }
    let Some(rest) = rest.strip_prefix('年') else {
        return Err(NoValue::Invalid("no years"));
    };
    let whole = |v: f64| -> Result<u8, NoValue> {
        if v > MAX_YEARS { Err(NoValue::Invalid("implausible years")) } else { Ok(v as u8) }
    };
    let a = whole(a)?;
    match b {
        Some(b) => {
            let b = whole(b)?;
            if a > b {
                return Err(NoValue::Invalid("minimum above maximum"));
            }
            Ok(Experience { min: a, max: Some(b) })
        }
        None if rest.starts_with("以上") || rest.starts_with('+') => Ok(Experience { min: a, max: None }),
        None if rest.starts_with("以下") || rest.starts_with("以内") || rest.starts_with('内') => {
            Ok(Experience { min: 0, max: Some(a) })
        }
        None => Ok(Experience { min: a, max: Some(a) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(min: u8, max: Option<u8>) -> Result<Experience, NoValue> {
        Ok(Experience { min, max })
    }

    /// Real strings from the samples (after the importers' unwrapping).
    #[test]
    fn real_strings() {
        let cases = [
            // zhilian-2024
            ("1-3年", y(1, Some(3))),
            ("3-5年", y(3, Some(5))),
            ("5-10年", y(5, Some(10))),
            ("经验不限", Ok(Experience::ANY)),
            ("无经验", Ok(Experience::NONE)),
            ("1年以下", y(0, Some(1))),
            ("10年以上", y(10, None)),
            // 51job-2019
            ("3-4年工作经验", y(3, Some(4))),
            ("5-7年工作经验", y(5, Some(7))),
            ("8-9年工作经验", y(8, Some(9))),
            ("2年工作经验", y(2, Some(2))),
            ("1年工作经验", y(1, Some(1))),
            ("无工作经验", Ok(Experience::NONE)),
            ("10年以上工作经验", y(10, None)),
            ("在校生/应届生", Ok(Experience::NONE)),
            ("本科", Err(NoValue::Invalid("no years"))),
            ("英语精通", Err(NoValue::Invalid("no years"))),
            // BOSS直聘 2019
            ("1年以内", y(0, Some(1))),
            ("应届生", Ok(Experience::NONE)),
            ("1年", y(1, Some(1))),
            ("1-3年学历不限", y(1, Some(3))),
            ("在校/应届", Ok(Experience::NONE)),
            ("5天/周", Err(NoValue::Invalid("no years"))),
            ("学历不限", Err(NoValue::Invalid("an education requirement"))),
            ("N/A", Err(NoValue::Invalid("no years"))),
            // 拉勾 2019
            ("不限", Ok(Experience::ANY)),
            ("应届毕业生", Ok(Experience::NONE)),
            // 猎聘 2019
            ("3年以上", y(3, None)),
            ("15年以上", y(15, None)),
            // other spellings
            ("3 - 5 年", y(3, Some(5))),
            ("３年以上", y(3, None)),
            ("1~2年", y(1, Some(2))),
            ("5年+", y(5, None)),
            ("6个月", Err(NoValue::Invalid("no years"))),
            ("3-", Err(NoValue::Invalid("range without an upper bound"))),
            ("5-3年", Err(NoValue::Invalid("minimum above maximum"))),
            ("100年以上", Err(NoValue::Invalid("implausible years"))),
            ("", Err(NoValue::Missing)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_experience(text), want, "{text:?}");
        }
    }

    #[test]
    fn never_panics_and_bounds_hold() {
        super::super::fuzz::strings(100_000, |t| {
            if let Ok(Experience { min, max: Some(max) }) = parse_experience(t) {
                assert!(min <= max, "{t:?}");
            }
        });
    }
}
