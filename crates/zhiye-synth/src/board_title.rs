//! Board-like titles ([`TitleStyle::Boards`](crate::TitleStyle)): as messy and
//! as repetitive as the real samples of five boards (`../shared`, 43,481
//! postings), measured by `scripts/board_shares.py`:
//!
//! | measure | real boards | taxonomy-style corpus | board-style corpus |
//! |---|---|---|---|
//! | title exactly a taxonomy name or alias | 13.7% | 57.9% | see the README (`make throughput`) |
//! | contains one, decorated | 80.8% | 41.2% | |
//! | contains no taxonomy term | 5.5% | 0.8% | |
//! | brackets / figures and pay / `/` pairs | 16.3% / 8.3% / 6.9% | 19.9% / 6.4% / 7.9% | |
//! | seniority words / city names | 23.4% / 3.6% | 22.4% / 7.8% | |
//! | Latin letters (mostly IT boards) | 64.7% | 5.5% | |
//! | Zipf exponent of title counts (ranks 1–1,000) | 1.06 | 0.65 | |
//!
//! A title is drawn in two steps: a rank `k` from a Zipf law, then the title
//! of (occupation, `k`), which a generator seeded by the two alone writes: the
//! same (occupation, rank) gives the same title, so titles repeat with a
//! heavy tail. The posting's occupation stays the true code; a title with no
//! taxonomy term is still that occupation's posting (its description says so).

use crate::fields::push_u;
use crate::mix::Occupation;
use crate::phrases::{BOARD_FIELDS_SALES, BOARD_FIELDS_SERVICE, BOARD_FIELDS_TECH, BOARD_LATIN, BOARD_NO_TERM};
use crate::rng::{Rng, Weighted, derive, hash_str};
use crate::segment::Segment;

/// Distinct titles per occupation.
const RANKS: usize = 2000;
/// Exponent of the Zipf law over an occupation's titles.
const ZIPF: f64 = 1.4;

/// Calibrated chances (see the module docs), per title.
const NO_TERM: f64 = 0.05;
const FIELD: f64 = 0.75;
const LATIN_TECH: f64 = 0.5;
const SENIORITY: f64 = 0.1;
const BRACKET: f64 = 0.14;
const PAY: f64 = 0.03;
const URGENT: f64 = 0.01;
const PAIR: f64 = 0.03;
const CITY: f64 = 0.02;

/// The rank law, built once per generator.
#[derive(Debug)]
pub(crate) struct BoardTitles {
    ranks: Weighted,
    seed: u64,
}

impl BoardTitles {
    pub(crate) fn new(seed: u64) -> BoardTitles {
        let w: Vec<f64> = (0..RANKS).map(|k| 1.0 / ((k + 1) as f64).powf(ZIPF)).collect();
        BoardTitles { ranks: Weighted::fixed(&w), seed: derive(seed, 0xB0A2D) }
    }

    /// Writes the board name of the title into `base` (the description uses
    /// it) and the title into `title`; `city` is the posting's.
    pub(crate) fn write(&self, rng: &mut Rng, occ: &Occupation, city: &str, base: &mut String, title: &mut String) {
        base.clear();
        title.clear();
        let k = self.ranks.sample(rng);
        let mut t = Rng::new(derive(self.seed ^ hash_str(&occ.code), k as u64));
        push_name(&mut t, occ, base);
        if t.chance(NO_TERM) {
            title.push_str(t.pick(BOARD_NO_TERM));
            return;
        }
        if t.chance(URGENT) {
            title.push_str(t.pick(&["急招", "诚聘", "高薪招聘", "直招"]));
        }
        if t.chance(CITY) {
            title.push_str(city);
            title.push('-');
        }
        if t.chance(SENIORITY) {
            title.push_str(t.pick(&["高级", "资深", "初级", "中级", "储备"]));
        }
        let tech = occ.segment == Segment::Tech;
        if tech && t.chance(LATIN_TECH) {
            title.push_str(t.pick(BOARD_LATIN));
        } else if t.chance(FIELD) {
            title.push_str(t.pick(match occ.segment {
                Segment::Tech => BOARD_FIELDS_TECH,
                Segment::Sales => BOARD_FIELDS_SALES,
                _ => BOARD_FIELDS_SERVICE,
            }));
        }
        title.push_str(base);
        if t.chance(PAIR) {
            title.push('/');
            title.push_str(t.pick(&["助理", "专员", "主管", "实习生", "储备干部"]));
        }
        if t.chance(BRACKET) {
            match t.below(4) {
                0 => {
                    title.push_str("(J");
                    push_u(title, 10_000 + t.below(90_000) as u32);
                    title.push(')');
                }
                1 => title.push_str(t.pick(&["（双休）", "（五险一金）", "【急招】", "（可实习）", "（应届生）"])),
                2 => {
                    title.push('（');
                    title.push_str(city);
                    title.push('）');
                }
                _ => {
                    title.push('（');
                    title.push_str(t.pick(if tech { BOARD_FIELDS_TECH } else { BOARD_FIELDS_SERVICE }));
                    title.push_str("方向）");
                }
            }
        }
        if t.chance(PAY) {
            let lo = 3 + t.below(15) as u32;
            title.push(' ');
            push_u(title, lo);
            title.push('-');
            push_u(title, lo + 2 + t.below(10) as u32);
            title.push('K');
        }
    }
}

/// The occupation's board name: mostly one of its aliases, skewed to the
/// first; else its dictionary name.
fn push_name(rng: &mut Rng, occ: &Occupation, base: &mut String) {
    let n = occ.titles.len();
    if n == 0 || rng.chance(0.12) {
        base.push_str(&occ.name);
        return;
    }
    let i = ((rng.unit() * rng.unit()) * n as f64) as usize;
    let t = &occ.titles[i.min(n - 1)];
    if !t.parts.is_empty() && rng.chance(0.5) {
        base.push_str(&t.parts[rng.below(t.parts.len())]);
    } else {
        base.push_str(&t.text);
    }
}
