//! From a row's cells to a canonical value: the mapping's candidates and
//! transforms, resolved once per table against its header.

use super::mapping::{Canonical, ColumnSpec, Mapping, SourceRef};
use super::table::Row;

/// What a column's candidates gave for one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Extracted {
    /// A value, in the output buffer.
    Value,
    /// No candidate had text.
    Empty,
    /// Some candidate had text, but `accept` refused all of them.
    Rejected,
}

/// One canonical column resolved against a table's header.
#[derive(Debug)]
pub(crate) struct ColumnPlan<'m> {
    pub(crate) column: Canonical,
    spec: &'m ColumnSpec,
    /// Cell positions of the candidates present in this table, in `from` order.
    sources: Vec<usize>,
}

impl<'m> ColumnPlan<'m> {
    /// Resolves `spec` against `columns` (the header; empty without one).
    /// Names absent from the header are skipped, positions beyond it too;
    /// `sources` may end up empty (the column is then null).
    pub(crate) fn resolve(column: Canonical, spec: &'m ColumnSpec, columns: &[String]) -> Self {
        let sources = spec
            .from
            .iter()
            .filter_map(|s| match s {
                SourceRef::Index(i) => (columns.is_empty() || *i < columns.len()).then_some(*i),
                SourceRef::Name(n) => columns.iter().position(|c| c == n.trim()),
            })
            .collect();
        ColumnPlan { column, spec, sources }
    }

    /// Whether any candidate column exists in this table.
    pub(crate) fn is_resolved(&self) -> bool {
        !self.sources.is_empty()
    }

    /// Cell positions read.
    pub(crate) fn sources(&self) -> &[usize] {
        &self.sources
    }

    /// Writes the first non-empty, accepted candidate into `out` (cleared
    /// first); `scratch` holds unwrapped list items.
    pub(crate) fn extract(&self, row: &Row, mapping: &Mapping, out: &mut String, scratch: &mut String) -> Extracted {
        out.clear();
        let mut rejected = false;
        for &i in &self.sources {
            let cell = row.get(i).unwrap_or("").trim();
            let mut v = if self.spec.unwrap_pylist { unwrap_pylist(cell, scratch) } else { cell };
            if let Some(sep) = &self.spec.split {
                v = part(v, sep, self.spec.part).unwrap_or("");
            }
            let v = v.trim();
            if v.is_empty() || mapping.null_values.iter().any(|n| n == v) {
                continue;
            }
            out.clear();
            out.push_str(v);
            // A suffix qualifies an amount (`/年`): text without a digit (面议)
            // has nothing to qualify.
            if let Some(suffix) = &self.spec.append
                && !out.ends_with(suffix.as_str())
                && out.bytes().any(|b| b.is_ascii_digit())
            {
                out.push_str(suffix);
            }
            match self.spec.accept {
                Some(kind) if !kind.recognises(out, mapping.year) => rejected = true,
                _ => return Extracted::Value,
            }
        }
        out.clear();
        if rejected { Extracted::Rejected } else { Extracted::Empty }
    }
}

/// Part `index` of `text` split on `sep` (negative counts from the end).
fn part<'a>(text: &'a str, sep: &str, index: i64) -> Option<&'a str> {
    if index >= 0 {
        text.split(sep).nth(usize::try_from(index).ok()?)
    } else {
        text.rsplit(sep).nth(usize::try_from(-(index + 1)).ok()?)
    }
}

/// Reads a Python list literal of strings (`['a']`, `['a', "b's"]`, `[]`)
/// as its items joined by a space. Text that is not such a list comes back
/// unchanged. A one-item list without escapes borrows from `text`; anything
/// else is built in `scratch`.
pub(crate) fn unwrap_pylist<'a>(text: &'a str, scratch: &'a mut String) -> &'a str {
    let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
        return text;
    };
    let inner = inner.trim();
    if inner.is_empty() {
        return "";
    }
    // Fast path: one item, no escapes.
    if let Some(q @ ('\'' | '"')) = inner.chars().next() {
        let body = &inner[1..];
        if !body.is_empty() && body.ends_with(q) {
            let body = &body[..body.len() - 1];
            if !body.contains(q) && !body.contains('\\') {
                return body;
            }
        }
    }
    scratch.clear();
    let mut chars = inner.chars();
    loop {
        // Between items: white space and commas.
        let q = loop {
            match chars.next() {
                None => return scratch.as_str(),
                Some(c) if c.is_whitespace() || c == ',' => {}
                Some(c @ ('\'' | '"')) => break c,
                // Not a list of strings (`[1, 2]`): keep the text.
                Some(_) => return text,
            }
        };
        if !scratch.is_empty() {
            scratch.push(' ');
        }
        loop {
            match chars.next() {
                None => return text, // unterminated item
                Some(c) if c == q => break,
                Some('\\') => match chars.next() {
                    Some('n') => scratch.push('\n'),
                    Some('t') => scratch.push('\t'),
                    Some('r') => {}
                    Some(c @ ('\\' | '\'' | '"')) => scratch.push(c),
                    Some(c) => {
                        scratch.push('\\');
                        scratch.push(c);
                    }
                    None => return text,
                },
                Some(c) => scratch.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_lists() {
        let cases = [
            ("['1-1.5万/月']", "1-1.5万/月"),
            ("[]", ""),
            ("[ ]", ""),
            ("['上海-浦东新区']", "上海-浦东新区"),
            ("['a', 'b']", "a b"),
            ("[\"it's\"]", "it's"),
            ("['it\\'s', \"x\"]", "it's x"),
            ("['a\\nb']", "a\nb"),
            ("['']", ""),
            ("[1, 2]", "[1, 2]"),
            ("['open", "['open"),
            ("plain text", "plain text"),
            ("[链接]", "[链接]"),
        ];
        for (text, want) in cases {
            let mut scratch = String::new();
            assert_eq!(unwrap_pylist(text, &mut scratch), want, "{text:?}");
        }
    }

    #[test]
    fn parts() {
        assert_eq!(part("上海·虹口·北外滩", "·", 0), Some("上海"));
        assert_eq!(part("Java|民营|20-99人|计算机软件", "|", -1), Some("计算机软件"));
        assert_eq!(part("民营公司| 计算机软件", "|", -2), Some("民营公司"));
        assert_eq!(part("北京", "-", 1), None);
        assert_eq!(part("北京", "-", -3), None);
        assert_eq!(part("北京", "-", i64::MIN), None);
    }

    #[test]
    fn candidates_transforms_and_accept() {
        let m = Mapping::from_toml(
            r#"
            platform = "t"
            null_values = ["N/A"]
            year = 2019
            [columns.title]
            from = ["t"]
            [columns.experience_text]
            from = ["exp", "edu"]
            unwrap_pylist = true
            accept = "experience"
            [columns.salary_text]
            from = ["pay"]
            split = "\n"
            append = "/年"
            [columns.city]
            from = ["nope", 9, "loc"]
            split = "-"
            "#,
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let header: Vec<String> = ["t", "exp", "edu", "pay", "loc"].map(String::from).into();
        let plan = |c| ColumnPlan::resolve(c, &m.columns[&c], &header);
        let exp = plan(Canonical::ExperienceText);
        let pay = plan(Canonical::SalaryText);
        let city = plan(Canonical::City);
        assert_eq!(city.sources(), &[4]);
        let mut row = Row::default();
        let (mut out, mut scratch) = (String::new(), String::new());
        let mut run = |cells: [&str; 5], p: &ColumnPlan| {
            row.clear();
            cells.iter().for_each(|c| row.push(c));
            let r = p.extract(&row, &m, &mut out, &mut scratch);
            (r, out.clone())
        };
        assert_eq!(
            run(["x", "['3-4年工作经验']", "['本科']", "", ""], &exp),
            (Extracted::Value, "3-4年工作经验".into())
        );
        assert_eq!(run(["x", "['本科']", "[]", "", ""], &exp), (Extracted::Rejected, "".into()));
        assert_eq!(run(["x", "[]", " N/A ", "", ""], &exp), (Extracted::Empty, "".into()));
        assert_eq!(run(["x", "", "", "18-36万\n  72小时反馈", ""], &pay), (Extracted::Value, "18-36万/年".into()));
        assert_eq!(run(["x", "", "", "20万/年", ""], &pay), (Extracted::Value, "20万/年".into()));
        assert_eq!(run(["x", "", "", "面议\n 1天内反馈", ""], &pay), (Extracted::Value, "面议".into()));
        assert_eq!(run(["x", "", "", "", "上海-江湾"], &city), (Extracted::Value, "上海".into()));
    }
}
