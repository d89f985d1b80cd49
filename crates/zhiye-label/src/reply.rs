//! Strict reading of a model's reply: it must name exactly one of E0–E3.

pub use zhiye_analysis::exposure::Label;

/// The one label a reply names, or why it does not name exactly one.
///
/// A label is `E` (or `Ｅ`, any case) then one digit 0–3 (half or full width),
/// not inside a longer word or number (`E10`, `GE2`, `E2E` are not labels). The
/// same label repeated counts once ("E1。" or "**E1** E1"); two different labels
/// ("E1 或 E2", "不是E0，是E1") or none make the reply unusable: it is never
/// guessed from.
pub fn parse_label(reply: &str) -> Result<Label, String> {
    let chars: Vec<char> = reply.chars().collect();
    let mut found: Option<Label> = None;
    for i in 0..chars.len() {
        if !matches!(chars[i], 'E' | 'e' | 'Ｅ' | 'ｅ') {
            continue;
        }
        let label = match chars.get(i + 1) {
            Some('0' | '０') => Label::E0,
            Some('1' | '１') => Label::E1,
            Some('2' | '２') => Label::E2,
            Some('3' | '３') => Label::E3,
            _ => continue,
        };
        let word = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c.is_numeric());
        if word(i.checked_sub(1).and_then(|j| chars.get(j))) || word(chars.get(i + 2)) {
            continue;
        }
        match found {
            Some(f) if f != label => return Err(format!("names two labels, {f} and {label}")),
            _ => found = Some(label),
        }
    }
    found.ok_or_else(|| "names no label".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_label() {
        for (reply, want) in [
            ("E1", Label::E1),
            ("e2", Label::E2),
            ("  E0。\n", Label::E0),
            ("**E3**", Label::E3),
            ("Ｅ１", Label::E1),
            ("标签：E2", Label::E2),
            ("E1 E1", Label::E1),
            ("答案是E2（借助软件）", Label::E2),
        ] {
            assert_eq!(parse_label(reply), Ok(want), "{reply}");
        }
        for reply in ["", "不确定", "E1 或 E2", "不是E0，是E1", "E4", "E10", "GE2", "E2E", "E", "暴露程度高"]
        {
            assert!(parse_label(reply).is_err(), "{reply:?} must be refused");
        }
    }
}
