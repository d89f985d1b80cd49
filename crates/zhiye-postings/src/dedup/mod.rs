//! De-duplication of reposted vacancies: the same vacancy posted on several
//! boards, or reposted on one board days later, counts once in vacancy
//! statistics. Duplicates are flagged with the row of their group's anchor
//! posting (`dup_of`), never dropped.
//!
//! # The same vacancy
//!
//! Two postings are the same vacancy when their [`dedup_key`]s are equal (same
//! normalised employer, title and city) and their dates are close:
//!
//! - [`normalize_company`] reduces a legal name to its region and trade name:
//!   `北京字节跳动科技有限公司`, `字节跳动（北京）科技有限公司`,
//!   `北京市字节跳动科技有限公司` and `北京字节跳动网络技术有限公司` all become
//!   `北京字节跳动`. The brand alone (`字节跳动`) stays apart: without a region
//!   list for every county, removing a leading place would also merge `北京银行`
//!   with `上海银行`.
//! - [`normalize_title`] drops board noise in brackets (`【急招】`, `（双休）`),
//!   spacing, punctuation and case. A qualifier in brackets goes too, so
//!   `Java工程师（支付方向）` and `Java工程师（风控方向）` of one employer and city
//!   meet; pass the cleaner's title instead of the raw one to keep them apart.
//! - [`normalize_city`] keeps the city: `上海-浦东新区`, `上海市` → `上海`.
//!
//! A posting without a normalised employer or title has no key and is never a
//! duplicate: an empty field says nothing about the vacancy.
//!
//! # The window
//!
//! [`find_duplicates`] sweeps each key group in date order. The first posting
//! is an anchor; a later one dated within `window_days` of the current anchor
//! (inclusive) is its duplicate, otherwise it becomes the new anchor. So a
//! vacancy reposted every 20 days with a 30-day window anchors on day 0, 40, 80…
//! (chains do not stretch the window: day 20 is a duplicate of day 0, day 40
//! a new vacancy). A posting without a date cannot be placed in time: it is a
//! duplicate of the group's first anchor, or, in a group with no dated posting,
//! the first of them (lowest row) is the anchor of the rest.
//!
//! # Determinism
//!
//! The key is FNV-1a over the normalised bytes, written out here, seedless and
//! byte-order free, so the same strings give the same key in every run, thread
//! and platform. [`find_duplicates`] orders rows by (key, date with none last,
//! row) before the sweep, a total order for unique row ids, so its result does
//! not depend on input order or on how the rows were gathered.
//!
//! # Memory
//!
//! A [`DedupRow`] is 24 bytes (key, date, row): the sweep needs that much per
//! keyed row, sorted in place, plus 16 bytes per duplicate found. 100 million
//! postings fit in 2.4 GB. Normalisation allocates nothing beyond the caller's
//! buffer (or, for [`dedup_key`], one buffer per thread).
//!
//! A 64-bit key makes a collision between different vacancies unlikely (about
//! n² / 2⁶⁵: 0.3 for 10⁹ distinct keys), and a colliding pair must also be
//! dated within the window to merge.

mod normalize;

use std::cell::RefCell;
use std::fmt;

#[cfg(test)]
use normalize::COMPANY_SUFFIXES;
pub use normalize::{normalize_city, normalize_company, normalize_title};

/// One posting as the de-duplicator sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DedupRow {
    /// [`dedup_key`] of the posting.
    pub key: u64,
    /// Posting date (Arrow `Date32`: days since 1970-01-01), if known.
    pub date: Option<i32>,
    /// Global row id, unique across the input.
    pub row: u64,
}

/// Counts for reporting the duplicate rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DedupStats {
    /// Postings read.
    pub rows: u64,
    /// Postings with a key (normalised employer and title not empty).
    pub keyed: u64,
    /// Postings flagged as duplicates.
    pub duplicates: u64,
}

impl DedupStats {
    /// Share of postings that are duplicates; 0 for no rows.
    pub fn duplicate_rate(&self) -> f64 {
        if self.rows == 0 { 0.0 } else { self.duplicates as f64 / self.rows as f64 }
    }

    /// Postings that count as vacancies (originals and unkeyed postings).
    pub fn originals(&self) -> u64 {
        self.rows - self.duplicates
    }

    /// Adds another part's counts.
    pub fn merge(&mut self, other: &DedupStats) {
        self.rows += other.rows;
        self.keyed += other.keyed;
        self.duplicates += other.duplicates;
    }
}

impl fmt::Display for DedupStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} postings, {} keyed, {} duplicates ({:.2}%)",
            self.rows,
            self.keyed,
            self.duplicates,
            100.0 * self.duplicate_rate()
        )
    }
}

/// FNV-1a, 64 bits: fixed constants, byte at a time, so the same bytes hash
/// the same on every platform and in every release.
#[derive(Clone, Copy)]
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(Self::PRIME);
        }
    }

    /// The hash with MurmurHash3's finaliser on top: a bijection, so no
    /// collisions are added, but every bit depends on every input bit, so the
    /// key can also be used to partition rows (`key % parts`).
    fn finish(self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Separates the fields in the hashed bytes; normalised fields never contain it.
const FIELD_SEPARATOR: u8 = 0x1F;

/// [`dedup_key`] with the caller's buffer: allocates nothing once `buf` has
/// grown to the longest field.
pub fn dedup_key_with(company: &str, title: &str, city: &str, buf: &mut String) -> Option<u64> {
    let mut h = Fnv1a(Fnv1a::OFFSET);
    normalize_company(company, buf);
    if buf.is_empty() {
        return None;
    }
    h.write(buf.as_bytes());
    h.write(&[FIELD_SEPARATOR]);
    normalize_title(title, buf);
    if buf.is_empty() {
        return None;
    }
    h.write(buf.as_bytes());
    h.write(&[FIELD_SEPARATOR]);
    normalize_city(city, buf);
    h.write(buf.as_bytes());
    Some(h.finish())
}

thread_local! {
    /// Normalisation buffer of [`dedup_key`], one per thread.
    static KEY_BUF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The de-duplication key of a posting: a deterministic 64-bit hash of its
/// normalised company, title and city ([`normalize_company`],
/// [`normalize_title`], [`normalize_city`]). `None` when the normalised company
/// or title is empty: such postings are never duplicates. A missing city hashes
/// as an empty one. Uses one buffer per thread; see [`dedup_key_with`] to pass
/// your own.
pub fn dedup_key(company: &str, title: &str, city: &str) -> Option<u64> {
    KEY_BUF.with_borrow_mut(|buf| dedup_key_with(company, title, city, buf))
}

/// Sort key of the sweep: key, dated before dateless, date, row.
#[inline]
fn sweep_order(r: &DedupRow) -> (u64, bool, Option<i32>, u64) {
    (r.key, r.date.is_none(), r.date, r.row)
}

/// Finds the duplicates among `rows` (sorted in place): `(row, dup_of)` pairs,
/// sorted by row, where `dup_of` is the row of the anchor the posting repeats.
/// Rows not listed are originals.
///
/// Within a key, in date order (ties by row), the first posting is an anchor;
/// a later one dated at most `window_days` after the current anchor is its
/// duplicate, otherwise it becomes the anchor. A dateless posting is a
/// duplicate of the key's first anchor; in a key with no dated posting the
/// lowest row is the anchor. A negative window leaves only dateless
/// duplicates. Row ids must be unique.
///
/// The result depends only on the set of rows, not on their order.
pub fn find_duplicates(rows: &mut [DedupRow], window_days: i32) -> Vec<(u64, u64)> {
    rows.sort_unstable_by_key(sweep_order);
    let window = i64::from(window_days);
    let mut dups = Vec::new();
    for group in rows.chunk_by(|a, b| a.key == b.key) {
        // Dated rows sort first, so the first row is the group's first anchor
        // and `anchor.date` is `None` only when every row is dateless.
        let first = group[0];
        let mut anchor = first;
        for r in &group[1..] {
            match (r.date, anchor.date) {
                (Some(d), Some(a)) if i64::from(d) - i64::from(a) > window => anchor = *r,
                (Some(_), _) => dups.push((r.row, anchor.row)),
                (None, _) => dups.push((r.row, first.row)),
            }
        }
    }
    dups.sort_unstable();
    dups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(s: &str) -> String {
        let mut out = String::new();
        normalize_company(s, &mut out);
        out
    }

    fn title(s: &str) -> String {
        let mut out = String::new();
        normalize_title(s, &mut out);
        out
    }

    fn city(s: &str) -> String {
        let mut out = String::new();
        normalize_city(s, &mut out);
        out
    }

    #[test]
    fn companies() {
        let cases = [
            // One employer's legal names meet: place first, place in brackets, 市, other trade word.
            ("北京字节跳动科技有限公司", "北京字节跳动"),
            ("字节跳动（北京）科技有限公司", "北京字节跳动"),
            ("字节跳动 (北京) 科技有限公司", "北京字节跳动"),
            ("北京市字节跳动科技有限公司", "北京字节跳动"),
            ("北京字节跳动网络技术有限公司", "北京字节跳动"),
            // The brand alone does not: a leading place is kept.
            ("字节跳动", "字节跳动"),
            ("北京银行股份有限公司", "北京银行"),
            ("上海银行股份有限公司", "上海银行"),
            ("华智科技（深圳市）有限公司", "深圳华智"),
            ("深圳市华智科技有限公司", "深圳华智"),
            ("深圳市腾讯计算机系统有限公司", "深圳腾讯计算机系统"),
            ("华为技术有限公司", "华为"),
            ("上海华智集团股份有限公司", "上海华智"),
            ("华智网络科技有限公司深圳分公司", "华智"),
            ("华智网络科技有限公司（深圳分公司）", "华智"),
            ("黑龙江省华智农业科技有限公司", "黑龙江华智农业"),
            ("北京华智餐饮管理有限公司", "北京华智餐饮管理"),
            ("北京华智投资中心（有限合伙）", "北京华智投资中心"),
            // A bracket that is not a place is dropped, not moved.
            ("阿里巴巴（中国）有限公司", "阿里巴巴"),
            ("中国平安人寿保险股份有限公司", "中国平安人寿保险"),
            ("ＡＢＣ　Technology Co., Ltd.", "abctechnology"),
            ("Tencent 腾讯", "tencent腾讯"),
            // Never stripped to empty.
            ("科技有限公司", "科技"),
            ("有限公司", "有限公司"),
            ("（北京）", "北京"),
            ("", ""),
            ("（）", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(company(raw), want, "{raw}");
        }
    }

    #[test]
    fn suffixes_longest_first() {
        for w in COMPANY_SUFFIXES.windows(2) {
            assert!(w[0].len() >= w[1].len(), "{} before {}", w[0], w[1]);
        }
    }

    #[test]
    fn titles() {
        let cases = [
            ("【急招】Java开发工程师（双休）", "java开发工程师"),
            ("java开发工程师", "java开发工程师"),
            ("JAVA 开发工程师", "java开发工程师"),
            ("Ｊａｖａ开发工程师（ 五险一金 ）", "java开发工程师"),
            ("【急聘（包吃住）】普工(长白班]", "普工"),
            ("C++开发工程师", "c++开发工程师"),
            ("C#/.NET工程师", "c#net工程师"),
            ("销售代表+高提成", "销售代表高提成"),
            ("《王者荣耀》运营", "王者荣耀运营"),
            ("高级Java工程师（支付方向）", "高级java工程师"),
            ("急聘-操作工", "急聘操作工"),
            // All tags: the content is the title.
            ("【急招】", "急招"),
            // Unclosed or long brackets are not tags.
            ("会计（财务", "会计财务"),
            (
                "店长(负责门店日常运营管理、人员排班、库存盘点、销售目标达成以及顾客投诉处理等各项工作内容)",
                "店长负责门店日常运营管理人员排班库存盘点销售目标达成以及顾客投诉处理等各项工作内容",
            ),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(title(raw), want, "{raw}");
        }
    }

    #[test]
    fn cities() {
        let cases = [
            ("上海-浦东新区", "上海"),
            ("上海市", "上海"),
            ("上海", "上海"),
            ("上海市浦东新区", "上海"),
            ("北京·海淀区", "北京"),
            ("深圳 南山区", "深圳"),
            ("  杭州/西湖区", "杭州"),
            ("北京(海淀)", "北京"),
            ("苏州-昆山市", "苏州"),
            ("广东省深圳市南山区", "深圳"),
            ("广东省", "广东"),
            ("新疆维吾尔自治区乌鲁木齐市", "乌鲁木齐"),
            ("乌鲁木齐市", "乌鲁木齐"),
            ("市中区", "市中区"),
            ("Beijing", "beijing"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(city(raw), want, "{raw}");
        }
    }

    #[test]
    fn keys() {
        let a = dedup_key("北京字节跳动科技有限公司", "【急招】Java开发工程师（双休）", "北京-海淀区");
        let b = dedup_key("字节跳动（北京）科技有限公司", "java开发工程师", "北京市");
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_ne!(a, dedup_key("北京字节跳动科技有限公司", "java开发工程师", "上海"));
        assert_ne!(a, dedup_key("北京字节跳动科技有限公司", "python开发工程师", "北京"));
        // Separators keep fields apart: ("ab", "c") is not ("a", "bc").
        assert_ne!(dedup_key("ab", "c", ""), dedup_key("a", "bc", ""));
        assert_eq!(dedup_key("", "java", "北京"), None);
        assert_eq!(dedup_key("（）", "java", "北京"), None);
        assert_eq!(dedup_key("华为", "（）", "北京"), None);
        assert!(dedup_key("华为", "java", "").is_some());
        // Pinned: a change of normalisation or hash changes every key on disk.
        assert_eq!(dedup_key("a", "b", "c"), Some(PINNED));
        let mut buf = String::new();
        assert_eq!(dedup_key_with("a", "b", "c", &mut buf), Some(PINNED));
    }

    /// FNV-1a of `a\x1Fb\x1Fc` with the Murmur finaliser, computed outside Rust.
    const PINNED: u64 = 0x315a_1207_6287_025c;

    fn rows(spec: &[(u64, Option<i32>, u64)]) -> Vec<DedupRow> {
        spec.iter().map(|&(key, date, row)| DedupRow { key, date, row }).collect()
    }

    #[test]
    fn window() {
        let mut r = rows(&[(1, Some(40), 2), (1, Some(0), 0), (1, Some(10), 1), (1, Some(70), 3), (1, Some(71), 4)]);
        // 0 original, 10 dup of 0, 40 new anchor, 70 dup of 40, 71 new anchor.
        assert_eq!(find_duplicates(&mut r, 30), [(1, 0), (3, 2)]);
        // Inclusive bound; same-day postings: the lower row is the anchor.
        let mut r = rows(&[(1, Some(30), 5), (1, Some(0), 9), (1, Some(0), 7), (2, Some(0), 1)]);
        assert_eq!(find_duplicates(&mut r, 30), [(5, 7), (9, 7)]);
        let mut r = rows(&[(1, Some(0), 0), (1, Some(0), 1)]);
        assert!(find_duplicates(&mut r, -1).is_empty());
    }

    #[test]
    fn dateless() {
        // Dateless rows repeat the group's first anchor, not the latest one.
        let mut r = rows(&[(1, None, 0), (1, Some(100), 1), (1, Some(5), 2), (1, None, 3)]);
        assert_eq!(find_duplicates(&mut r, 30), [(0, 2), (3, 2)]);
        // No dated row: the lowest row is the anchor.
        let mut r = rows(&[(4, None, 8), (4, None, 6), (4, None, 7), (5, None, 1)]);
        assert_eq!(find_duplicates(&mut r, 30), [(7, 6), (8, 6)]);
        assert!(find_duplicates(&mut [], 30).is_empty());
    }

    /// Deterministic LCG (Knuth's MMIX constants).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Rows over few keys (large groups) and few days; keys ≥ 290 are dateless.
    fn random_rows(seed: u64, n: usize) -> Vec<DedupRow> {
        let mut rng = Lcg(seed);
        (0..n as u64)
            .map(|i| {
                let key = rng.below(300);
                let date = (key < 290 && rng.below(10) != 0).then(|| rng.below(200) as i32 - 100);
                // Unique row ids, not in key or date order.
                DedupRow { key, date, row: i.wrapping_mul(0x9E37_79B9) % 1_000_003 }
            })
            .collect()
    }

    /// The definition, O(n²): take the next posting in sweep order by a linear
    /// scan, look its key's anchors up in a flat list.
    fn naive(rows: &[DedupRow], window: i32) -> Vec<(u64, u64)> {
        let mut done = vec![false; rows.len()];
        let mut anchors: Vec<DedupRow> = Vec::new();
        let mut dups = Vec::new();
        for _ in 0..rows.len() {
            let mut next: Option<usize> = None;
            for (i, r) in rows.iter().enumerate() {
                if !done[i] && next.is_none_or(|j| sweep_order(r) < sweep_order(&rows[j])) {
                    next = Some(i);
                }
            }
            let Some(i) = next else { break };
            done[i] = true;
            let r = rows[i];
            let first = anchors.iter().find(|a| a.key == r.key).copied();
            let current = anchors.iter().rev().find(|a| a.key == r.key).copied();
            let dup_of = match (r.date, first, current) {
                (_, None, _) | (_, _, None) => None,
                (None, Some(f), _) => Some(f.row),
                (Some(d), _, Some(c)) => match c.date {
                    Some(a) if i64::from(d) - i64::from(a) <= i64::from(window) => Some(c.row),
                    Some(_) => None,
                    None => Some(c.row),
                },
            };
            match dup_of {
                Some(a) => dups.push((r.row, a)),
                None => anchors.push(r),
            }
        }
        dups.sort_unstable();
        dups
    }

    #[test]
    fn matches_naive_reference() {
        for (seed, window) in [(1, 30), (2, 0), (3, 7), (4, 1), (5, -1), (6, 365)] {
            let input = random_rows(seed, 3000);
            let want = naive(&input, window);
            let got = find_duplicates(&mut input.clone(), window);
            assert_eq!(got, want, "seed {seed}, window {window}");
            assert!(!got.is_empty() || window < 0, "seed {seed}: no duplicates tested");
        }
    }

    #[test]
    fn input_order_does_not_matter() {
        let input = random_rows(11, 5000);
        let want = find_duplicates(&mut input.clone(), 30);
        let mut rng = Lcg(99);
        for _ in 0..3 {
            let mut shuffled = input.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.below(i as u64 + 1) as usize);
            }
            assert_eq!(find_duplicates(&mut shuffled, 30), want);
        }
    }

    #[test]
    fn row_is_24_bytes() {
        assert_eq!(size_of::<DedupRow>(), 24);
    }

    #[test]
    fn stats() {
        let mut s = DedupStats { rows: 100, keyed: 90, duplicates: 5 };
        s.merge(&DedupStats { rows: 100, keyed: 95, duplicates: 15 });
        assert_eq!((s.rows, s.keyed, s.duplicates, s.originals()), (200, 185, 20, 180));
        assert!((s.duplicate_rate() - 0.1).abs() < 1e-12);
        assert_eq!(DedupStats::default().duplicate_rate(), 0.0);
        assert_eq!(s.to_string(), "200 postings, 185 keyed, 20 duplicates (10.00%)");
    }
}
