//! Field parsers for the free-text columns of postings. Each returns a typed
//! value or says why it could not; none panics on any input.
//!
//! | parser | value | recognised without a value |
//! |---|---|---|
//! | [`parse_salary`] | [`Salary`]: monthly CNY bounds, pay months, the stated period | 面议 → [`NoValue::Negotiable`] |
//! | [`parse_experience`] | [`Experience`]: years, lower bound and optional upper bound | — |
//! | [`parse_education`] | [`Education`]: ordinal level, 不限 lowest | — |
//! | [`parse_headcount`] | [`Headcount`] | 若干 → [`Headcount::Unspecified`] |
//! | [`parse_date`], [`DateFormat::parse`] | [`Date`] (→ Arrow `Date32` days) | — |
//!
//! The parsers take the text as posted (`8千-1.1万·13薪`, `3-5年`, `本科及以上`,
//! `2019-08-21`); importers unwrap board-specific wrapping (Python-list cells,
//! appended response times) before the text reaches the canonical columns.
//! Digits may be ASCII or full width.
//!
//! ```
//! use zhiye_ingest::fields::{Education, NoValue, PayBasis, parse_education, parse_experience, parse_salary};
//!
//! let s = parse_salary("1.2-2万·13薪").unwrap();
//! assert_eq!((s.min, s.max, s.months, s.basis), (Some(12_000), Some(20_000), 13, PayBasis::Month));
//! assert_eq!(parse_salary("面议"), Err(NoValue::Negotiable));
//! assert_eq!(parse_experience("3年以上").unwrap().max, None);
//! assert_eq!(parse_education("本科及以上"), Ok(Education::Bachelor));
//! ```

mod date;
mod education;
mod experience;
mod headcount;
mod salary;

pub use date::{Date, DateFormat, parse_date};
pub use education::{Education, parse_education};
pub use experience::{Experience, parse_experience};
pub use headcount::{Headcount, parse_headcount};
pub use salary::{DAYS_PER_MONTH, HOURS_PER_DAY, PayBasis, Salary, WEEKS_PER_MONTH, parse_salary};

/// Why a field parser returned no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoValue {
    /// Empty or only white space.
    Missing,
    /// 面议 / 面谈: the posting says pay is negotiable. A recognised outcome:
    /// it counts as parsed in parse rates.
    Negotiable,
    /// Text that does not parse; the reason says what was wrong.
    Invalid(&'static str),
}

impl NoValue {
    /// Whether the text was understood although it carries no value (面议).
    pub fn is_recognised(self) -> bool {
        matches!(self, NoValue::Negotiable)
    }

    /// A short reason: `missing`, `negotiable` or what was wrong.
    pub fn reason(self) -> &'static str {
        match self {
            NoValue::Missing => "missing",
            NoValue::Negotiable => "negotiable",
            NoValue::Invalid(why) => why,
        }
    }
}

impl std::fmt::Display for NoValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

/// The value of an ASCII or full-width decimal digit.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Reads a decimal number (`12`, `1.5`, full-width digits allowed) at the
/// start of `s`; returns the value and the bytes it spans. Digits past the
/// 15th are ignored (the value saturates in magnitude, never overflows).
fn read_number(s: &str) -> Option<(f64, usize)> {
    let mut value = 0f64;
    let mut scale = 0f64; // 0 before the decimal point, then 0.1, 0.01 …
    let mut digits = 0u32;
    let mut end = 0usize;
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if let Some(d) = digit(c) {
            digits += 1;
            if digits <= 15 {
                if scale == 0.0 {
                    value = value * 10.0 + f64::from(d);
                } else {
                    value += f64::from(d) * scale;
                    scale /= 10.0;
                }
            } else if scale == 0.0 {
                value *= 10.0;
            }
            end = i + c.len_utf8();
            chars.next();
        } else if (c == '.' || c == '．') && scale == 0.0 && digits > 0 {
            // A point counts only when a digit follows (`1.5`, not `3.`).
            chars.next();
            match chars.peek() {
                Some(&(_, n)) if digit(n).is_some() => scale = 0.1,
                _ => break,
            }
        } else {
            break;
        }
    }
    (digits > 0).then_some((value, end))
}

/// Whether `c` joins the two ends of a range (`-`, `~`, `至`, `到` and their
/// full-width and dash variants).
fn is_range_sign(c: char) -> bool {
    matches!(c, '-' | '~' | '～' | '－' | '—' | '–' | '至' | '到')
}

/// A deterministic string generator for the no-panic tests: mixes the
/// characters the parsers look for with random ones.
#[cfg(test)]
pub(crate) mod fuzz {
    const ALPHABET: &[char] = &[
        '0', '1', '2', '5', '9', '.', '-', '~', '/', '·', '*', '+', ' ', 'k', 'K', 'w', '元', '千', '万', '百', '年',
        '月', '日', '天', '时', '周', '次', '薪', '以', '上', '下', '内', '起', '面', '议', '至', '到', '经', '验',
        '不', '限', '无', '应', '届', '本', '科', '大', '专', '硕', '士', '博', '中', '高', '初', '学', '历', '及',
        '招', '人', '若', '干', '发', '布', '１', '．', '－', '～', '\u{0}', 'é', '😀', '\n', '[', ']', '\'',
    ];

    /// Calls `f` on `n` strings of 0–24 characters, the same for every run.
    pub(crate) fn strings(n: usize, mut f: impl FnMut(&str)) {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            // splitmix64: tiny, deterministic, good enough to spread cases.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let mut s = String::new();
        for _ in 0..n {
            s.clear();
            let len = next() % 25;
            for _ in 0..len {
                let r = next();
                let c = if r % 8 == 0 {
                    char::from_u32((r >> 8) as u32 % 0x3_0000).unwrap_or('?')
                } else {
                    ALPHABET[(r >> 8) as usize % ALPHABET.len()]
                };
                s.push(c);
            }
            f(&s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(read_number("12k"), Some((12.0, 2)));
        assert_eq!(read_number("1.5万"), Some((1.5, 3)));
        assert_eq!(read_number("３．５"), Some((3.5, 9)));
        assert_eq!(read_number("3.万"), Some((3.0, 1)));
        assert_eq!(read_number(".5"), None);
        assert_eq!(read_number("万"), None);
        let (big, len) = read_number("99999999999999999999999").unwrap();
        assert!(big > 9.9e22 && big.is_finite() && len == 23);
    }
}
