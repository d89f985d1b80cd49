//! [`KeywordMatcher`]: does a text mention any of a list of phrases?
//!
//! Used for the AI-skill mentions of the published tables. Chinese phrases
//! match anywhere; phrases that start or end with a Latin letter or digit
//! match case-insensitively and only as whole words, so that `AI` is found in
//! `AI算法工程师` and `熟悉ai工具` but not in `Email` or `Taiwan`.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::{Result, TextError};

/// A compiled list of phrases.
#[derive(Clone, Debug)]
pub struct KeywordMatcher {
    /// The phrases' heads (see [`heads`]), searched with SIMD in two groups:
    /// a text holds a phrase only if it holds a head. `None` where Teddy is
    /// unavailable or the heads are too many.
    heads: Option<Vec<packed::Searcher>>,
    automaton: AhoCorasick,
    /// Per pattern: whether its start / end must sit on a word boundary.
    edges: Vec<(bool, bool)>,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl KeywordMatcher {
    /// Compiles `phrases` (empty phrases are ignored).
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> Result<KeywordMatcher> {
        let phrases: Vec<&str> = phrases.iter().map(|p| p.as_ref().trim()).filter(|p| !p.is_empty()).collect();
        let edges = phrases
            .iter()
            .map(|p| (p.chars().next().is_some_and(is_word), p.chars().next_back().is_some_and(is_word)))
            .collect();
        // A full DFA: a few phrases make a small one, and it reads the texts
        // that hold a head (see `heads`) more than once.
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&phrases)
            .map_err(|source| TextError::Automaton { what: "keyword list", source })?;
        // Two searches, not one: Teddy fingerprints as many leading bytes
        // as its shortest pattern has (at most three). Two-byte Latin heads
        // among the Chinese ones would fingerprint `人工` by `E4 BA`, which
        // 64 common characters share; apart, a Chinese head is fingerprinted
        // by its whole first character, and the search is 4× faster on job ads.
        let (latin, other): (Vec<&str>, Vec<&str>) = phrases.iter().partition(|p| p.starts_with(is_word));
        let heads = [latin, other]
            .iter()
            .filter(|group| !group.is_empty())
            .map(|group| heads(group).and_then(|h| packed::Config::new().builder().extend(h).build()))
            .collect();
        Ok(KeywordMatcher { heads, automaton, edges })
    }

    /// Whether `text` mentions a phrase (overlapping matches are all tried,
    /// so a rejected `AI` inside `EMAIL` does not hide a later one).
    pub fn is_match(&self, text: &str) -> bool {
        // Most texts hold no phrase at all: the heads' SIMD searches (about
        // six times the DFA's speed on job ads) or a plain search answers them.
        let no_head = |heads: &Vec<packed::Searcher>| heads.iter().all(|h| h.find(text).is_none());
        if self.heads.as_ref().is_some_and(no_head) || !self.automaton.is_match(text) {
            return false;
        }
        self.automaton.find_overlapping_iter(text).any(|m| {
            let (start, end) = self.edges[m.pattern().as_usize()];
            let before_ok = !start || !text[..m.start()].chars().next_back().is_some_and(is_word);
            let after_ok = !end || !text[m.end()..].chars().next().is_some_and(is_word);
            before_ok && after_ok
        })
    }
}

/// Most heads a packed search takes.
const MAX_HEADS: usize = 64;

/// Each phrase's first two characters, in every ASCII case: byte strings
/// that every case-insensitive occurrence of the phrase starts with. `None`
/// when they are too many for a packed search.
fn heads(phrases: &[&str]) -> Option<Vec<Vec<u8>>> {
    let mut heads: Vec<Vec<u8>> = Vec::new();
    for p in phrases {
        let mut variants = vec![Vec::new()];
        for c in p.chars().take(2) {
            let cases = [c.to_ascii_lowercase(), c.to_ascii_uppercase()];
            let cases = if cases[0] == cases[1] { &cases[..1] } else { &cases[..] };
            variants = (variants.iter())
                .flat_map(|v| cases.iter().map(|c| [v.as_slice(), c.to_string().as_bytes()].concat()))
                .collect();
        }
        heads.extend(variants);
        if heads.len() > MAX_HEADS {
            return None;
        }
    }
    heads.sort();
    heads.dedup();
    Some(heads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_phrases_are_whole_words_and_case_insensitive() {
        let m = KeywordMatcher::new(&["AI", "大模型", "ChatGPT", ""]).unwrap();
        for yes in ["AI算法工程师", "熟悉ai工具", "负责大模型训练", "使用chatgpt写作", "AI", "(AI)"]
        {
            assert!(m.is_match(yes), "{yes}");
        }
        for no in ["Email营销", "Taiwan", "MAINTAIN", "模型训练", "", "AIGC"] {
            assert!(!m.is_match(no), "{no}");
        }
    }

    /// The heads' search drops no text the automaton alone would match, in
    /// any case, at any place.
    #[test]
    fn the_heads_lose_no_match() {
        let phrases = ["AI", "ChatGPT", "大模型", "A股", "r", "机器学习", "Ωmega"];
        let m = KeywordMatcher::new(&phrases).unwrap();
        assert!(m.heads.is_some());
        let plain = KeywordMatcher { heads: None, ..m.clone() };
        let pieces = [
            "",
            "负责",
            "ai",
            "Ai",
            "aI",
            "cHATgpt",
            "chat",
            "大模",
            "大模型",
            "a股",
            "R",
            "机器",
            "学习",
            " ",
            "ωmega",
            "Ωmega",
            "x",
        ];
        let mut matched = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(m.is_match(&text), plain.is_match(&text), "{text}");
                    matched += usize::from(plain.is_match(&text));
                }
            }
        }
        assert!(matched > 1000, "{matched}");
    }

    #[test]
    fn agrees_with_a_naive_scan() {
        let phrases = ["AI", "机器学习", "GPT"];
        let m = KeywordMatcher::new(&phrases).unwrap();
        let naive = |t: &str| {
            let lower = t.to_ascii_lowercase();
            phrases.iter().any(|p| {
                let p = p.to_ascii_lowercase();
                lower.match_indices(&p).any(|(i, _)| {
                    let ok_before =
                        !lower[..i].chars().next_back().is_some_and(is_word) || !is_word(p.chars().next().unwrap());
                    let ok_after = !lower[i + p.len()..].chars().next().is_some_and(is_word)
                        || !is_word(p.chars().last().unwrap());
                    ok_before && ok_after
                })
            })
        };
        let texts = ["gpt-4 与 AI", "xgpt", "机器学习ai", "chatGPT", "EMAIL ai", "aiai", "AI-ops", "学习机器"];
        for t in texts {
            assert_eq!(m.is_match(t), naive(t), "{t}");
        }
    }
}
