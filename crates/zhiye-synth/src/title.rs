//! Job titles: a board name of the occupation with the noise boards show
//! (levels, city prefixes, bracketed tags, pay suffixes, double titles,
//! full-width characters). About half of the titles stay clean.

use crate::fields::{Exp, Pay, push_u};
use crate::mix::Occupation;
use crate::phrases::{
    TITLE_PREFIX_TAGS, TITLE_SUFFIX_TAGS, TITLE_SUFFIX_TAGS_SALES, TITLE_SUFFIX_TAGS_TECH, TITLE_SUFFIX_TAGS_WORKER,
    TITLE_VERBS,
};
use crate::rng::Rng;
use crate::segment::Segment;

/// A seniority word of the title; interns also get intern pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rank {
    None,
    /// A word put before the name: 高级, 资深, 初级, 储备 …
    Before(&'static str),
    /// A word put after the name: 实习生, 学徒, （实习）.
    After(&'static str),
}

impl Rank {
    /// Whether the posting is an internship (pay by the day, half the time).
    pub(crate) fn intern(self) -> bool {
        matches!(self, Rank::Before("实习") | Rank::After("实习生" | "（实习）"))
    }

    /// Draws a seniority word consistent with the experience asked for.
    pub(crate) fn draw(rng: &mut Rng, exp: Exp, segment: Segment) -> Rank {
        let white = !matches!(segment, Segment::Sales | Segment::Service | Segment::Blue);
        match exp {
            Exp::Y3to5 | Exp::Y5to10 | Exp::Over10 if rng.chance(0.22) => {
                if exp >= Exp::Y5to10 && rng.chance(0.5) {
                    Rank::Before("资深")
                } else {
                    Rank::Before("高级")
                }
            }
            Exp::Fresh | Exp::Under1 if rng.chance(0.3) => {
                let r = rng.unit();
                if white {
                    match r {
                        r if r < 0.3 => Rank::Before("实习"),
                        r if r < 0.5 => Rank::After("实习生"),
                        r if r < 0.6 => Rank::After("（实习）"),
                        r if r < 0.8 => Rank::Before("初级"),
                        r if r < 0.9 => Rank::Before("见习"),
                        _ => Rank::Before("储备"),
                    }
                } else if r < 0.45 {
                    Rank::Before("储备")
                } else if r < 0.8 && segment != Segment::Sales {
                    Rank::After("学徒")
                } else {
                    Rank::Before("实习")
                }
            }
            Exp::Y1to3 if rng.chance(0.04) => Rank::Before("中级"),
            _ => Rank::None,
        }
    }
}

/// What a title is made of.
#[derive(Debug)]
pub(crate) struct TitleParts<'a> {
    pub occ: &'a Occupation,
    pub rank: Rank,
    pub pay: Pay,
    pub city: &'a str,
    pub district: Option<&'a str>,
    /// The employer's trade name (字号), for `XX公司招聘X`.
    pub trade_name: &'a str,
}

/// Writes the board name chosen for the occupation into `base` (used again
/// by the description) and the decorated title into `title`.
pub(crate) fn write_title(rng: &mut Rng, p: &TitleParts<'_>, base: &mut String, title: &mut String) {
    base.clear();
    title.clear();
    push_base(rng, p.occ, base);
    let decorate = rng.unit();
    // Prefix decorations: at most one.
    match decorate {
        d if d < 0.06 => match rng.below(5) {
            0 => {
                title.push_str(p.city);
                title.push('-');
            }
            1 => {
                title.push_str(p.city);
                title.push('市');
            }
            2 => {
                title.push('【');
                title.push_str(p.city);
                title.push('】');
            }
            3 => {
                title.push_str(p.city);
                title.push('·');
            }
            _ => {
                title.push('[');
                title.push_str(p.city);
                title.push(']');
            }
        },
        d if d < 0.14 => title.push_str(rng.pick(TITLE_PREFIX_TAGS)),
        d if d < 0.17 => title.push_str(rng.pick(TITLE_VERBS)),
        d if d < 0.185 => {
            title.push_str(p.trade_name);
            title.push_str(if rng.chance(0.6) { "公司招聘" } else { "招聘" });
        }
        _ => {}
    }
    match p.rank {
        Rank::Before(w) if !base.starts_with(w) => title.push_str(w),
        _ => {}
    }
    title.push_str(base);
    if rng.chance(0.04) && p.occ.titles.len() > 1 {
        // Double title: two board names of the same occupation.
        let other = &p.occ.titles[rng.below(p.occ.titles.len())].text;
        if other != base {
            title.push('/');
            title.push_str(other);
        }
    }
    if let Rank::After(w) = p.rank {
        title.push_str(w);
    }
    // Suffix decorations: at most one.
    let segment = p.occ.segment;
    match rng.unit() {
        s if s < 0.06 => title.push_str(rng.pick(TITLE_SUFFIX_TAGS)),
        s if s < 0.1 => title.push_str(match segment {
            Segment::Service | Segment::Blue => rng.pick(TITLE_SUFFIX_TAGS_WORKER),
            Segment::Sales => rng.pick(TITLE_SUFFIX_TAGS_SALES),
            Segment::Tech => rng.pick(TITLE_SUFFIX_TAGS_TECH),
            _ => rng.pick(TITLE_SUFFIX_TAGS),
        }),
        s if s < 0.14 => push_pay_suffix(rng, segment, p.pay, title),
        s if s < 0.16 => {
            if let Some(d) = p.district {
                title.push('（');
                title.push_str(d);
                title.push('）');
            }
        }
        _ => {}
    }
    if rng.chance(0.025) {
        to_full_width(title);
    }
    if rng.chance(0.005) {
        // Scraped titles sometimes keep the page's whitespace.
        title.insert(0, '\n');
        title.push_str("  ");
    }
}

/// A board name: mostly an alias (boards' own names), else the dictionary
/// name; `A/B` aliases are sometimes split; Latin letters change case.
fn push_base(rng: &mut Rng, occ: &Occupation, base: &mut String) {
    let n = occ.titles.len();
    if n == 0 || rng.chance(0.12) {
        base.push_str(&occ.name);
        return;
    }
    // Skewed towards the first aliases, so each occupation has favourite names.
    let i = ((rng.unit() * rng.unit()) * n as f64) as usize;
    let t = &occ.titles[i.min(n - 1)];
    if !t.parts.is_empty() && rng.chance(0.5) {
        base.push_str(&t.parts[rng.below(t.parts.len())]);
    } else {
        base.push_str(&t.text);
    }
    if base.bytes().any(|b| b.is_ascii_alphabetic()) && rng.chance(0.12) {
        let cased = if rng.chance(0.5) { base.to_ascii_lowercase() } else { base.to_ascii_uppercase() };
        *base = cased;
    }
}

fn push_pay_suffix(rng: &mut Rng, segment: Segment, pay: Pay, title: &mut String) {
    if segment == Segment::Sales && rng.chance(0.6) {
        title.push_str(rng.pick(&["底薪+提成", "+提成", "（底薪+提成）", " 底薪+高提成"]));
        return;
    }
    let Pay::Monthly { lo, hi, .. } = pay else { return };
    let (l, h) = ((lo + 500) / 1000, (hi + 500) / 1000);
    match rng.below(4) {
        0 => {
            title.push(' ');
            push_u(title, l.max(1));
            title.push_str("K-");
            push_u(title, h.max(l + 1));
            title.push('K');
        }
        1 => {
            title.push('（');
            push_u(title, l.max(1));
            title.push('-');
            push_u(title, h.max(l + 1));
            title.push_str("K）");
        }
        2 if hi >= 10_000 => {
            title.push_str(if segment == Segment::Blue { "包住+月入过万" } else { "月薪过万" })
        }
        _ => {
            title.push_str(" 月薪");
            push_u(title, lo);
            title.push('-');
            push_u(title, hi);
        }
    }
}

/// ASCII to full-width forms (`Java` → `Ｊａｖａ`), as some boards store them.
fn to_full_width(s: &mut String) {
    let converted: String = s
        .chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            _ => c,
        })
        .collect();
    *s = converted;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width() {
        let mut s = "Java开发(8K)".to_string();
        to_full_width(&mut s);
        assert_eq!(s, "Ｊａｖａ开发（８Ｋ）");
    }
}
