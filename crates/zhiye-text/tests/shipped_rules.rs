//! The shipped `config/rules.toml` on the real taxonomy (`make setup`): board
//! words and English titles reach the taxonomy's words, and letters alone do
//! not make a code.

use std::path::Path;

use zhiye_text::{Classifier, ClassifierOptions, Method, Scratch};

fn shipped() -> Classifier {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let taxonomy = root.join("data/ocd2022");
    assert!(taxonomy.join("csco22.csv").exists(), "run `make setup` first");
    let rules = root.join("config/rules.toml");
    Classifier::from_dir(&taxonomy, Some(&rules), ClassifierOptions::default()).unwrap().1
}

#[test]
fn english_titles_are_read_through_their_chinese_words() {
    let c = shipped();
    let mut s = Scratch::new();
    let o = c.classify("Senior Software Engineer", None, &mut s);
    assert_eq!(o.code.map(|c| c.to_string()).as_deref(), Some("2-02-10-03"), "{}", o.evidence);
    assert!(o.evidence.contains("terms=软件,工程师"), "{}", o.evidence);
    let o = c.classify("Accountant", None, &mut s);
    assert!(o.code.unwrap().to_string().starts_with("2-06-03"), "{}", o.evidence);
    // A programming language decides, in English or in Chinese.
    for t in ["Ruby工程师", "HTML5", "JavaScript Developer"] {
        let o = c.classify(t, None, &mut s);
        assert_eq!((o.code.unwrap().to_string(), o.method), ("2-02-10-03".to_string(), Method::Rule), "{t}");
    }
    for t in ["abcdefg", "Lorem ipsum"] {
        assert_eq!(c.classify(t, None, &mut s).method, Method::Unclassified, "{t}");
    }
}
