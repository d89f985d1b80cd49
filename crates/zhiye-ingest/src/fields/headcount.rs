//! Head-counts → a number of openings.

/// A parsed head-count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headcount {
    /// A stated number of openings (for a range, the lower bound).
    Count(u32),
    /// 若干 / 不限: openings not stated.
    Unspecified,
    /// Empty or absent.
    Missing,
    /// Text with no recognisable head-count.
    Unparsed,
}

impl Headcount {
    /// Vacancies this posting stands for, counting an unknown head-count as `default`.
    pub fn vacancies(self, default: u32) -> u32 {
        match self {
            Headcount::Count(n) => n,
            _ => default,
        }
    }
}

/// Parses `招3人`, `3人`, `招聘5名`, `2-3人`, `若干`, `招若干人`.
pub fn parse_headcount(text: &str) -> Headcount {
    let t = text.trim();
    if t.is_empty() {
        return Headcount::Missing;
    }
    if t.contains("若干") || t.contains("不限") {
        return Headcount::Unspecified;
    }
    let mut digits = t.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit);
    let mut n: u32 = 0;
    let mut any = false;
    for c in digits.by_ref() {
        any = true;
        n = n.saturating_mul(10).saturating_add(c as u32 - '0' as u32);
    }
    match (any, n) {
        (true, n) if n > 0 => Headcount::Count(n),
        _ => Headcount::Unparsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("招3人", Headcount::Count(3)),
            ("3人", Headcount::Count(3)),
            ("招聘12名", Headcount::Count(12)),
            ("2-3人", Headcount::Count(2)),
            ("若干", Headcount::Unspecified),
            ("招若干人", Headcount::Unspecified),
            ("", Headcount::Missing),
            ("  ", Headcount::Missing),
            ("招0人", Headcount::Unparsed),
            ("多人", Headcount::Unparsed),
            ("招99999999999999人", Headcount::Count(u32::MAX)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_headcount(s), want, "{s:?}");
        }
        assert_eq!(Headcount::Unspecified.vacancies(1), 1);
    }

    /// Real strings of the 51job-2019 sample (the only one with a head-count
    /// column), after unwrapping.
    #[test]
    fn real_strings() {
        let cases = [
            ("1人", Headcount::Count(1)),
            ("若干人", Headcount::Unspecified),
            ("2人", Headcount::Count(2)),
            ("10人", Headcount::Count(10)),
            ("500人", Headcount::Count(500)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_headcount(s), want, "{s:?}");
        }
    }

    #[test]
    fn never_panics() {
        super::super::fuzz::strings(100_000, |t| {
            if let Headcount::Count(n) = parse_headcount(t) {
                assert!(n > 0, "{t:?}");
            }
        });
    }
}
