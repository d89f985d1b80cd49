//! [`Tokenizer`]: jieba-rs words plus character bigrams, the terms both the
//! occupation index and the queries are made of.

use jieba_rs::Jieba;

use crate::normalize::is_han;

/// Prefix that keeps bigram terms apart from two-character words.
const BIGRAM_MARK: char = '\u{1}';

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

    /// Calls `f` with each term of `text`; `key` is a reused buffer.
    pub fn for_each_term(&self, text: &str, key: &mut String, mut f: impl FnMut(&str)) {
        for tok in self.jieba.cut(text, false) {
            let w = tok.word;
            let mut chars = w.chars();
            let Some(first) = chars.next() else { continue };
            let multi = chars.next().is_some();
            if (multi && w.chars().any(|c| c.is_alphanumeric())) || first.is_ascii_alphanumeric() {
                f(w);
            }
        }
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if !is_han(c) {
                prev = None;
                continue;
            }
            if let Some(p) = prev {
                key.clear();
                key.push(BIGRAM_MARK);
                key.push(p);
                key.push(c);
                f(key);
            }
            prev = Some(c);
        }
    }

    /// The terms of `text`, for tests and inspection.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut key = String::new();
        self.for_each_term(text, &mut key, |t| out.push(t.replace(BIGRAM_MARK, "^")));
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
