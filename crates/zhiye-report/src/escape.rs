//! Escaping text for HTML and SVG (both as element text and as
//! double-quoted attribute values).

use std::fmt;

/// Text escaped for HTML/SVG text and attributes: `&`, `<`, `>`, `"` and `'`
/// become character references; everything else, including Chinese text, is
/// passed through unchanged. Control characters other than tab and newline
/// (not allowed in HTML) are dropped.
///
/// It formats lazily, so `write!(out, "<p>{}</p>", Escaped(text))` does not
/// allocate.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(|c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || is_dropped(c)) {
            f.write_str(&rest[..i])?;
            let c = rest[i..].chars().next().unwrap_or_default();
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "",
            })?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// Control characters that HTML forbids (tab, newline and carriage return are
/// allowed).
fn is_dropped(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` escaped into a new string.
#[cfg(test)]
fn escape(s: &str) -> String {
    Escaped(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script>"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(escape("it's"), "it&#39;s");
    }

    #[test]
    fn keeps_chinese_and_drops_controls() {
        assert_eq!(escape("软件工程师 <高级>"), "软件工程师 &lt;高级&gt;");
        assert_eq!(escape("a\u{0}b\u{7f}c\td\n"), "abc\td\n");
        assert_eq!(escape(""), "");
    }
}
