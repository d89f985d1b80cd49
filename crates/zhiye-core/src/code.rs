//! [`OcdCode`]: a packed OCD 2022 code that knows its level and parent.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The four levels of the OCD 2022 tree (大类, 中类, 小类, 细类).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 大类, e.g. `2-00-00-00`.
    Large = 1,
    /// 中类, e.g. `2-02-00-00`.
    Medium = 2,
    /// 小类, e.g. `2-02-07-00`.
    Small = 3,
    /// 细类, e.g. `2-02-07-04`.
    Fine = 4,
}

impl Level {
    /// All levels, coarsest first.
    pub const ALL: [Level; 4] = [Level::Large, Level::Medium, Level::Small, Level::Fine];

    /// Number of code parts at this level (1 to 4).
    pub fn depth(self) -> usize {
        self as usize
    }

    /// English name, as used in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Level::Large => "large",
            Level::Medium => "medium",
            Level::Small => "small",
            Level::Fine => "fine",
        }
    }

    /// Level with the given depth, `None` outside 1..=4.
    pub fn from_depth(depth: usize) -> Option<Level> {
        Level::ALL.get(depth.checked_sub(1)?).copied()
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An OCD 2022 code such as `2-02-07-04`, with its level.
///
/// The level is usually the depth of the last non-zero part, but not always:
/// a few medium classes (e.g. `1-01`) hold fine classes directly, so
/// `1-01-00-01` is a fine class whose small class `1-01-00` has a `00` part.
/// The level is therefore stored, packed with the source's `code_num`
/// (large × 10⁶ + medium × 10⁴ + small × 10² + fine) as `code_num × 4 +
/// depth − 1`, so that codes sort in tree order: `1-01` (medium) before
/// `1-01-00` (small) before `1-01-00-01` (fine).
///
/// A small class the dictionary does not subdivide is itself an occupation
/// and keeps its `-00` fine part: `2-03-01-00` is a [`Level::Small`] code even
/// where postings are coded onto it (see [`crate::Taxonomy::occupations`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OcdCode(u32);

impl OcdCode {
    /// Builds a code from its four parts at `level`; `None` if a part is out
    /// of range, a part below the level is non-zero, or the part that names
    /// the class is zero (only a small part may be `00`, see above).
    pub fn new(parts: [u8; 4], level: Level) -> Option<OcdCode> {
        let [large, medium, small, fine] = parts;
        if !(1..=9).contains(&large) || medium > 99 || small > 99 || fine > 99 {
            return None;
        }
        let depth = level.depth();
        if parts[depth..].iter().any(|&p| p != 0) {
            return None;
        }
        let named_zero = match level {
            Level::Large | Level::Small => false,
            Level::Medium => medium == 0,
            Level::Fine => fine == 0,
        };
        if named_zero {
            return None;
        }
        let num = u32::from(large) * 1_000_000 + u32::from(medium) * 10_000 + u32::from(small) * 100 + u32::from(fine);
        Some(OcdCode(num * 4 + depth as u32 - 1))
    }

    /// Builds a code from its parts, at the depth of the last non-zero part.
    pub fn from_parts(large: u8, medium: u8, small: u8, fine: u8) -> Option<OcdCode> {
        let parts = [large, medium, small, fine];
        let depth = (1..4).rev().find(|&i| parts[i] != 0).map_or(1, |i| i + 1);
        OcdCode::new(parts, Level::from_depth(depth)?)
    }

    /// The source's packed `code_num` form (without the level).
    pub fn code_num(self) -> u32 {
        self.0 / 4
    }

    /// The four parts, large first.
    pub fn parts(self) -> [u8; 4] {
        let n = self.code_num();
        [(n / 1_000_000) as u8, ((n / 10_000) % 100) as u8, ((n / 100) % 100) as u8, (n % 100) as u8]
    }

    /// The code as text (`2-02-07-04`), as [`Display`](fmt::Display) writes
    /// it, without the formatting machinery: a classified posting writes six.
    pub fn text(self) -> CodeText {
        let [a, b, c, d] = self.parts();
        let mut buf = [0u8; 11];
        let mut len = 0;
        if a >= 10 {
            buf[0] = b'0' + a / 10;
            len = 1;
        }
        buf[len] = b'0' + a % 10;
        len += 1;
        for p in [b, c, d] {
            buf[len..len + 3].copy_from_slice(&[b'-', b'0' + p / 10, b'0' + p % 10]);
            len += 3;
        }
        CodeText { buf, len: len as u8 }
    }

    /// The level of the class.
    pub fn level(self) -> Level {
        Level::ALL[(self.0 % 4) as usize]
    }

    /// The ancestor at `level` (the code itself if it is that level or coarser).
    pub fn truncate(self, level: Level) -> OcdCode {
        if level >= self.level() {
            return self;
        }
        let unit = 10u32.pow(2 * (4 - level.depth() as u32));
        let num = self.code_num() / unit * unit;
        OcdCode(num * 4 + level.depth() as u32 - 1)
    }

    /// The parent code, `None` for a large class.
    pub fn parent(self) -> Option<OcdCode> {
        let up = Level::from_depth(self.level().depth() - 1)?;
        Some(self.truncate(up))
    }

    /// The code written to its own level's depth, as tables print it: `2`,
    /// `2-02`, `2-02-07`, `2-02-07-04` (unlike [`Display`](fmt::Display),
    /// which always writes four parts, this tells `1-01` from `1-01-00`).
    pub fn short(self) -> String {
        let mut s = self.to_string();
        s.truncate(1 + 3 * (self.level().depth() - 1));
        s
    }

    /// The code as tables write it at `level`: [`short`](Self::short) to the
    /// level's depth, except at the fine level, where four parts are kept so
    /// that an undivided small class used as an occupation reads `2-03-01-00`.
    pub fn written_at(self, level: Level) -> String {
        if level == Level::Fine { self.to_string() } else { self.truncate(level).short() }
    }

    /// Whether `self` is `other` or one of its descendants.
    pub fn is_within(self, other: OcdCode) -> bool {
        self.level() >= other.level() && self.truncate(other.level()) == other
    }
}

impl fmt::Display for OcdCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.parts();
        write!(f, "{a}-{b:02}-{c:02}-{d:02}")
    }
}

/// An [`OcdCode`] as text, on the stack (see [`OcdCode::text`]).
#[derive(Clone, Copy, Debug)]
pub struct CodeText {
    buf: [u8; 11],
    len: u8,
}

impl std::ops::Deref for CodeText {
    type Target = str;

    fn deref(&self) -> &str {
        // Digits and dashes only: always UTF-8.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl FromStr for OcdCode {
    type Err = Error;

    /// Parses `2-02-07-04`, a prefix such as `2-02` (missing parts are zero),
    /// or the packed `2020704` form.
    fn from_str(s: &str) -> Result<OcdCode, Error> {
        let bad = || Error::BadCode(s.to_string());
        let t = s.trim();
        if !t.contains('-') {
            if t.len() == 7 {
                let n: u32 = t.parse().map_err(|_| bad())?;
                let part = |d: u32| ((n / d) % 100) as u8;
                return OcdCode::from_parts((n / 1_000_000) as u8, part(10_000), part(100), part(1)).ok_or_else(bad);
            }
            if t.len() == 1 {
                return t.parse::<u8>().ok().and_then(|l| OcdCode::from_parts(l, 0, 0, 0)).ok_or_else(bad);
            }
            return Err(bad());
        }
        let mut parts = [0u8; 4];
        for (n, piece) in t.split('-').enumerate() {
            let slot = parts.get_mut(n).ok_or_else(bad)?;
            let width_ok = if n == 0 { piece.len() == 1 } else { piece.len() == 2 };
            if !width_ok || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            *slot = piece.parse().map_err(|_| bad())?;
        }
        OcdCode::from_parts(parts[0], parts[1], parts[2], parts[3]).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_what_display_writes() {
        for n in [1_000_000u32, 2_020_704, 8_999_999, 4_990_000, 12_345_678, 99_999_999] {
            let Ok(code) = OcdCode::from_str(&n.to_string()) else { continue };
            assert_eq!(&*code.text(), code.to_string());
        }
        for s in ["2-02-07-04", "2-02-07-00", "2-02-00-00", "7-00-00-00", "4-99-00-00", "8-00-00-00"] {
            let code: OcdCode = s.parse().unwrap();
            assert_eq!(&*code.text(), s);
        }
    }

    #[test]
    fn parse_display_round_trip() {
        for s in ["2-02-07-04", "2-02-07-00", "2-02-00-00", "7-00-00-00", "4-99-00-00"] {
            let c: OcdCode = s.parse().unwrap();
            assert_eq!(c.to_string(), s);
            assert_eq!(c.code_num().to_string().parse::<OcdCode>().unwrap(), c);
        }
        assert_eq!("2020704".parse::<OcdCode>().unwrap().to_string(), "2-02-07-04");
        assert_eq!("2-02".parse::<OcdCode>().unwrap().to_string(), "2-02-00-00");
    }

    #[test]
    fn rejects_malformed() {
        for s in ["", "0-00-00-00", "2-2-07-04", "x", "2-02-07-04-01", "12345678"] {
            assert!(s.parse::<OcdCode>().is_err(), "{s}");
        }
    }

    #[test]
    fn levels_and_parents() {
        let c: OcdCode = "2-02-07-04".parse().unwrap();
        assert_eq!(c.level(), Level::Fine);
        let chain: Vec<String> = std::iter::successors(Some(c), |c| c.parent()).map(|c| c.to_string()).collect();
        assert_eq!(chain, ["2-02-07-04", "2-02-07-00", "2-02-00-00", "2-00-00-00"]);
        assert!(c.is_within("2-02".parse().unwrap()));
        assert!(!c.is_within("2-03".parse().unwrap()));
        assert_eq!(c.truncate(Level::Medium).to_string(), "2-02-00-00");
        let short: Vec<String> = std::iter::successors(Some(c), |c| c.parent()).map(|c| c.short()).collect();
        assert_eq!(short, ["2-02-07-04", "2-02-07", "2-02", "2"]);
    }

    #[test]
    fn medium_holding_fine_classes_directly() {
        let f: OcdCode = "1-01-00-01".parse().unwrap();
        assert_eq!(f.level(), Level::Fine);
        let small = f.parent().unwrap();
        let medium: OcdCode = "1-01-00-00".parse().unwrap();
        assert_eq!((small.level(), medium.level()), (Level::Small, Level::Medium));
        assert_ne!(small, medium);
        assert_eq!(small.parent(), Some(medium));
        assert!(medium < small && small < f, "tree order");
        assert!(f.is_within(medium) && f.is_within(small));
        assert_eq!(OcdCode::new([1, 1, 0, 0], Level::Small), Some(small));
        assert_eq!(OcdCode::new([1, 1, 2, 0], Level::Fine), None);
    }
}
