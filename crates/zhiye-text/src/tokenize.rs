//! [`Tokenizer`]: jieba-rs words plus character bigrams, the terms both the
//! occupation index and the queries are made of.

use jieba_rs::Jieba;

use crate::normalize::is_han;

/// Prefix that keeps bigram terms apart from two-character words.
pub(crate) const BIGRAM_MARK: char = '\u{1}';

/// Segments normalised text into terms: jieba-rs words (precise mode, no HMM)
/// of two or more characters or any Latin word, and the bigrams of every run
/// of Chinese characters. Words give precision, bigrams recall on words the
/// dictionary does not know.
///
/// Build it once per process: loading jieba's dictionary takes ~0.1 s.
#[derive(Debug)]
pub struct Tokenizer {
    jieba: Jieba,
}

impl Tokenizer {
    /// jieba's default dictionary, extended with `words` (e.g. occupation
    /// names and aliases) so that they segment as one word.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Tokenizer {
        let mut jieba = Jieba::new();
        for w in words {
            if w.chars().count() >= 2 && !w.contains(' ') {
                jieba.add_word(w, None, None);
            }
        }
        Tokenizer { jieba }
    }

    /// Calls `f(term, end)` with each term of `text` and the byte offset where
    /// it ends (the head of a Chinese job title is its last word); `key` is a
    /// reused buffer.
    pub fn for_each_term(&self, text: &str, key: &mut String, mut f: impl FnMut(&str, usize)) {
        for tok in self.jieba.cut(text, false) {
            let w = tok.word;
            let mut chars = w.chars();
            let Some(first) = chars.next() else { continue };
            let multi = chars.next().is_some();
            if (multi && w.chars().any(|c| c.is_alphanumeric())) || first.is_ascii_alphanumeric() {
                f(w, tok.byte_end);
            }
        }
        let mut prev: Option<char> = None;
        for (at, c) in text.char_indices() {
            if !is_han(c) {
                prev = None;
                continue;
            }
            if let Some(p) = prev {
                key.clear();
                key.push(BIGRAM_MARK);
                key.push(p);
                key.push(c);
                f(key, at + c.len_utf8());
            }
            prev = Some(c);
        }
    }

    /// The terms of `text`, for tests and inspection.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut key = String::new();
        self.for_each_term(text, &mut key, |t, _| out.push(t.replace(BIGRAM_MARK, "^")));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_bigrams() {
        let t = Tokenizer::new(["数控车工"]);
        assert_eq!(t.terms("数控车工"), ["数控车工", "^数控", "^控车", "^车工"]);
        let terms = t.terms("java开发");
        assert!(terms.contains(&"java".to_string()) && terms.contains(&"^开发".to_string()), "{terms:?}");
    }
}
