//! Text measurement without a font: an estimate of the drawn width of a
//! label, good enough to reserve margins and to shorten labels that would not
//! fit. Chinese (and other wide) characters count as one em, Latin letters and
//! digits as roughly half to two thirds of one.

use std::borrow::Cow;

/// Estimated width of `s` drawn at `size` px.
pub(crate) fn width(s: &str, size: f64) -> f64 {
    s.chars().map(em).sum::<f64>() * size
}

/// `s` shortened with a trailing `…` so that its estimated width at `size` px
/// is at most `max` px; `s` itself when it fits.
pub(crate) fn fit(s: &str, size: f64, max: f64) -> Cow<'_, str> {
    if width(s, size) <= max {
        return Cow::Borrowed(s);
    }
    let budget = max / size - em('…');
    let mut used = 0.0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        used += em(c);
        if used > budget {
            break;
        }
        end = i + c.len_utf8();
    }
    Cow::Owned(format!("{}…", s[..end].trim_end()))
}

/// Estimated advance of `c` in ems.
fn em(c: char) -> f64 {
    match c {
        _ if is_wide(c) => 1.0,
        ' ' | 'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.85,
        'A'..='Z' => 0.7,
        _ => 0.62,
    }
}

/// East Asian wide and full-width characters (CJK ideographs and punctuation,
/// kana, hangul, full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_wider_than_latin() {
        assert_eq!(width("软件工程师", 10.0), 50.0);
        assert!(width("engineer", 10.0) < 50.0);
        assert_eq!(width("", 10.0), 0.0);
    }

    #[test]
    fn fit_shortens_only_when_needed() {
        assert_eq!(fit("软件工程师", 10.0, 50.0), "软件工程师");
        assert_eq!(fit("软件工程师", 10.0, 40.0), "软件工…");
        assert!(width(&fit("a very long english label", 12.0, 60.0), 12.0) <= 60.0);
    }
}
