//! [`PostingWords`]: the tokenizer of the text fields — jieba-rs in search
//! mode, with a user dictionary of occupation names, aliases and AI-skill
//! phrases, Latin letters lowercased.
//!
//! The dictionary is written into the index folder when the index is created
//! ([`WORDS_FILE`]) and read back whenever it is opened, so documents and
//! queries are always split by the same dictionary, even after the taxonomy
//! or the configuration changes.

use std::path::Path;
use std::sync::Arc;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::{Result, SearchError};

/// The file in the index folder holding the user dictionary, one word per line.
pub const WORDS_FILE: &str = "zhiye-words.txt";

/// jieba (search mode, HMM for unknown words) with a user dictionary; cheap
/// to clone (tantivy clones a tokenizer per field and per segment writer).
#[derive(Clone)]
pub struct PostingWords {
    jieba: Arc<Jieba>,
    /// The text with ASCII letters lowercased: same byte offsets as the input.
    lower: String,
    tokens: Vec<Token>,
}

impl std::fmt::Debug for PostingWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostingWords").finish_non_exhaustive()
    }
}

impl PostingWords {
    /// jieba's default dictionary plus the Chinese `words`. Words with Latin
    /// letters or digits are left out: search mode would emit `java开发` but
    /// not `java` inside it, and jieba splits Latin runs well on its own.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> PostingWords {
        let mut jieba = Jieba::new();
        for w in words {
            if w.chars().count() >= 2 && !w.chars().any(|c| c.is_ascii_alphanumeric() || c.is_whitespace()) {
                jieba.add_word(w, None, None);
            }
        }
        PostingWords { jieba: Arc::new(jieba), lower: String::new(), tokens: Vec::new() }
    }

    /// The tokenizer of the index at `index_dir`, from its [`WORDS_FILE`].
    pub fn load(index_dir: &Path) -> Result<PostingWords> {
        let path = index_dir.join(WORDS_FILE);
        let text =
            std::fs::read_to_string(&path).map_err(|source| SearchError::Words { path: path.clone(), source })?;
        Ok(PostingWords::new(text.lines()))
    }

    /// Writes `words` (sorted, unique, one per line) as the dictionary of the
    /// index at `index_dir`.
    pub fn save<'a>(index_dir: &Path, words: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut words: Vec<&str> = words.into_iter().filter(|w| !w.contains(['\n', '\r'])).collect();
        words.sort_unstable();
        words.dedup();
        let path = index_dir.join(WORDS_FILE);
        zhiye_core::fs::write_atomic(&path, (words.join("\n") + "\n").as_bytes()).map_err(|e| SearchError::io(&path, e))
    }

    /// The words of `text`, for tests and inspection.
    pub fn words(&mut self, text: &str) -> Vec<String> {
        let mut s = self.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }
}

impl Tokenizer for PostingWords {
    type TokenStream<'a> = Words<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Words<'a> {
        self.lower.clear();
        self.lower.push_str(text);
        self.lower.make_ascii_lowercase();
        // Reuse the token buffers across documents: only the count changes.
        let mut n = 0;
        for t in self.jieba.tokenize(&self.lower, TokenizeMode::Search, true) {
            if t.word.chars().all(char::is_whitespace) {
                continue;
            }
            if n == self.tokens.len() {
                self.tokens.push(Token::default());
            }
            let tok = &mut self.tokens[n];
            tok.offset_from = t.byte_start;
            tok.offset_to = t.byte_end;
            tok.position = t.start;
            tok.position_length = t.end - t.start;
            tok.text.clear();
            tok.text.push_str(t.word);
            n += 1;
        }
        Words { tokens: &mut self.tokens[..n], next: 0 }
    }
}

/// The token stream of [`PostingWords`].
#[derive(Debug)]
pub struct Words<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for Words<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_stay_whole_and_search_mode_keeps_parts() {
        let mut plain = PostingWords::new([]);
        assert!(!plain.words("大模型算法").contains(&"大模型".to_string()));
        let mut w = PostingWords::new(["大模型", "Java开发工程师"]);
        let words = w.words("招聘大模型算法，JAVA开发工程师");
        for want in ["大模型", "模型", "java", "开发", "工程师"] {
            assert!(words.contains(&want.to_string()), "{want} not in {words:?}");
        }
        assert!(!words.iter().any(|t| t.trim().is_empty()), "{words:?}");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let mut w = PostingWords::new(["大模型"]);
        let text = "AI大模型 Engineer";
        let mut s = w.token_stream(text);
        while s.advance() {
            let t = s.token();
            assert_eq!(text[t.offset_from..t.offset_to].to_ascii_lowercase(), t.text);
        }
    }

    #[test]
    fn saved_words_load_back() {
        let dir = tempfile::tempdir().unwrap();
        PostingWords::save(dir.path(), ["大模型", "数控车工", "大模型"]).unwrap();
        let text = std::fs::read_to_string(dir.path().join(WORDS_FILE)).unwrap();
        assert_eq!(text, "大模型\n数控车工\n");
        let mut w = PostingWords::load(dir.path()).unwrap();
        assert!(w.words("大模型").contains(&"大模型".to_string()));
        let missing = PostingWords::load(&dir.path().join("nope")).unwrap_err().to_string();
        assert!(missing.contains("zhiye index"), "{missing}");
    }
}
