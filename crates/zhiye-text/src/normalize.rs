//! Character normalisation shared by the cleaner, the matcher and the index,
//! so that a taxonomy term and a title spell the same word the same way.

/// Maps one character to its normal form: full-width ASCII to half-width,
/// ideographic space to space, Chinese brackets to ASCII ones, Latin to lower
/// case. Everything else is kept.
#[inline]
pub fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    match c {
        '\u{3000}' | '\u{00A0}' | '\t' | '\r' | '\n' => ' ',
        '【' | '〔' | '〖' | '「' | '『' | '《' | '〈' => '[',
        '】' | '〕' | '〗' | '」' | '』' | '》' | '〉' => ']',
        '—' | '–' | '~' => '-',
        '•' | '・' => '·',
        '、' | ';' => ',',
        _ => c.to_ascii_lowercase(),
    }
}

/// Appends the normal form of `text` to `out` (which is not cleared).
pub fn normalize_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    out.extend(text.chars().map(normalize_char));
}

/// The normal form of `text`.
pub fn normalize(text: &str) -> String {
    let mut s = String::new();
    normalize_into(text, &mut s);
    s
}

/// Whether `c` is a CJK ideograph (the characters jieba segments).
#[inline]
pub fn is_han(c: char) -> bool {
    is_han_code(c as u32)
}

/// [`is_han`] of a code point, for text read byte by byte.
#[inline]
pub(crate) fn is_han_code(c: u32) -> bool {
    matches!(c, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// An ideograph of the basic block or extension A: every one is assigned,
/// a letter and without case (unlike [`is_han`]'s compatibility block, which
/// has unassigned code points).
#[inline]
pub fn is_ideograph_letter(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// `c.is_alphanumeric()`, answered without the Unicode tables for ASCII
/// and for [`is_ideograph_letter`]s, most of a Chinese text: the tables'
/// search was a few percent of reading titles and company names.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { is_ideograph_letter(c) || c.is_alphanumeric() }
}

/// The key of a term for exact lookup: normal form without separators and
/// punctuation, so that `Java 开发`, `java开发` and `JAVA－开发` meet.
pub fn key_into(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars().map(normalize_char) {
        if is_alphanumeric(c) || c == '+' || c == '#' {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_alphanumeric_is_the_standard_one() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn full_width_brackets_and_case() {
        assert_eq!(normalize("ＪＡＶＡ开发（急招）【双休】"), "java开发(急招)[双休]");
        assert_eq!(normalize("Ｃ＋＋　工程师"), "c++ 工程师");
        let mut k = String::new();
        key_into("Java - 开发/工程师", &mut k);
        assert_eq!(k, "java开发工程师");
        key_into("C# .NET", &mut k);
        assert_eq!(k, "c#net");
    }
}
