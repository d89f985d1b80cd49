//! Education requirements → an ordinal level.

use super::NoValue;

/// A minimum education level, ordered from no requirement to doctorate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Education {
    /// 不限 / 学历不限: no requirement.
    Any,
    /// 初中 (also 初中及以下).
    JuniorHigh,
    /// 高中, 中专, 中技, 职高, 技校, 中职: upper secondary, general or vocational.
    Secondary,
    /// 大专 / 专科: three-year tertiary.
    Associate,
    /// 本科 / 学士 (also 统招本科).
    Bachelor,
    /// 硕士, 研究生, MBA, EMBA.
    Master,
    /// 博士.
    Doctor,
}

impl Education {
    /// Every level, lowest first.
    pub const ALL: [Education; 7] = [
        Education::Any,
        Education::JuniorHigh,
        Education::Secondary,
        Education::Associate,
        Education::Bachelor,
        Education::Master,
        Education::Doctor,
    ];

    /// The level's rank, 0 不限 … 6 博士 (its place in [`Education::ALL`]): the
    /// `education` column of classified postings.
    pub fn ordinal(self) -> i8 {
        Education::ALL.iter().position(|&x| x == self).unwrap_or(0) as i8
    }

    /// The usual Chinese name of the level.
    pub fn name(self) -> &'static str {
        match self {
            Education::Any => "不限",
            Education::JuniorHigh => "初中",
            Education::Secondary => "高中/中专/中技",
            Education::Associate => "大专",
            Education::Bachelor => "本科",
            Education::Master => "硕士",
            Education::Doctor => "博士",
        }
    }
}

/// Words naming a level. `中专` must not be read as 大专, nor `专科` as 本科:
/// the words are matched whole, never by a single character.
const WORDS: &[(&str, Education)] = &[
    ("初中", Education::JuniorHigh),
    ("高中", Education::Secondary),
    ("中专", Education::Secondary),
    ("中技", Education::Secondary),
    ("职高", Education::Secondary),
    ("技校", Education::Secondary),
    ("中职", Education::Secondary),
    ("大专", Education::Associate),
    ("专科", Education::Associate),
    ("本科", Education::Bachelor),
    ("学士", Education::Bachelor),
    ("硕士", Education::Master),
    ("研究生", Education::Master),
    ("MBA", Education::Master),
    ("mba", Education::Master),
    ("博士", Education::Doctor),
];

/// Parses an education requirement as posted.
///
/// The lowest level named is the requirement: `本科及以上` → 本科, `中专/中技`
/// → secondary, `本科/硕士` → 本科; `EMBA` counts as 硕士. `学历不限`,
/// `不限学历`, `不限` and `无学历要求` → [`Education::Any`]. Text naming no
/// level is invalid, including `经验不限` (an experience requirement: 不限
/// alone is read as education only when nothing else is said), so importers
/// can tell the two apart when a board shifts its columns. No sample uses
/// numeric codes for education, so numbers are not read.
pub fn parse_education(text: &str) -> Result<Education, NoValue> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NoValue::Missing);
    }
    let lowest = WORDS.iter().filter(|(w, _)| t.contains(w)).map(|&(_, e)| e).min();
    if let Some(level) = lowest {
        return Ok(level);
    }
    let any =
        t.contains("学历不限") || t.contains("不限学历") || t.contains("无学历要求") || t == "不限" || t == "无要求";
    if any { Ok(Education::Any) } else { Err(NoValue::Invalid("no education level")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Education::*;

    /// Real strings from the samples (after the importers' unwrapping).
    #[test]
    fn real_strings() {
        let cases = [
            // zhilian-2024
            ("本科", Ok(Bachelor)),
            ("大专", Ok(Associate)),
            ("硕士", Ok(Master)),
            ("学历不限", Ok(Any)),
            ("博士", Ok(Doctor)),
            ("高中", Ok(Secondary)),
            ("中专/中技", Ok(Secondary)),
            ("初中及以下", Ok(JuniorHigh)),
            // 51job-2019
            ("中专", Ok(Secondary)),
            ("中技", Ok(Secondary)),
            ("英语熟练", Err(NoValue::Invalid("no education level"))),
            ("普通话良好", Err(NoValue::Invalid("no education level"))),
            ("3-4年工作经验", Err(NoValue::Invalid("no education level"))),
            // BOSS直聘 2019 (shifted columns included)
            ("以内本科", Ok(Bachelor)),
            ("5个月,本科", Ok(Bachelor)),
            ("6个月,学历不限", Ok(Any)),
            ("以内高中", Ok(Secondary)),
            ("1-3年学历不限", Ok(Any)),
            ("经验不限", Err(NoValue::Invalid("no education level"))),
            ("3-5年", Err(NoValue::Invalid("no education level"))),
            ("应届生", Err(NoValue::Invalid("no education level"))),
            ("北京,3-5年,本科", Ok(Bachelor)),
            // 拉勾 2019
            ("不限", Ok(Any)),
            // 猎聘 2019
            ("本科及以上", Ok(Bachelor)),
            ("统招本科", Ok(Bachelor)),
            ("大专及以上", Ok(Associate)),
            ("硕士及以上", Ok(Master)),
            ("中专/中技及以上", Ok(Secondary)),
            // other spellings
            ("中专/技校", Ok(Secondary)),
            ("MBA", Ok(Master)),
            ("EMBA", Ok(Master)),
            ("研究生", Ok(Master)),
            ("本科/硕士", Ok(Bachelor)),
            ("专科", Ok(Associate)),
            ("无学历要求", Ok(Any)),
            ("", Err(NoValue::Missing)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_education(text), want, "{text:?}");
        }
        assert!(Any < JuniorHigh && Secondary < Associate && Bachelor < Master && Master < Doctor);
        assert_eq!(Education::ALL.iter().map(|e| e.name()).collect::<Vec<_>>().len(), 7);
    }

    #[test]
    fn never_panics() {
        let mut n = 0usize;
        super::super::fuzz::strings(100_000, |t| n += usize::from(parse_education(t).is_ok()));
        assert!(n > 0);
    }
}
