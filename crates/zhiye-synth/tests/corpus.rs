//! Corpus-level checks on ~20k synthetic postings: schema, determinism,
//! month allocation, description lengths, codes, reposts and the economics
//! the statistics depend on.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use arrow_array::{Array, Date32Array, RecordBatch, StringArray};
use zhiye_core::Taxonomy;
use zhiye_ingest::{col, posting_schema};
use zhiye_synth::{Generator, GeneratorOptions, TitleStyle, generate_to_dir};

const N: u64 = 20_000;

fn taxonomy() -> &'static Taxonomy {
    static TAX: OnceLock<Taxonomy> = OnceLock::new();
    TAX.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv");
        assert!(
            Path::new(path).exists(),
            "{path} is missing: run `make setup` (scripts/setup.sh) to fetch the OCD 2022 taxonomy"
        );
        Taxonomy::from_path(path).unwrap_or_else(|e| panic!("{path}: {e} (run `make setup`)"))
    })
}

fn options() -> GeneratorOptions {
    GeneratorOptions::default().postings(N).seed(7)
}

fn generator() -> Generator {
    Generator::new(taxonomy(), options()).expect("valid options")
}

/// One record per row: (month index, column values).
struct Row {
    month: usize,
    cells: Vec<Option<String>>,
}

fn rows(g: &Generator, batch_rows: usize) -> Vec<Row> {
    let mut out = Vec::new();
    for m in 0..g.months() {
        for b in g.month_batches(m, batch_rows) {
            assert_eq!(b.schema(), posting_schema());
            assert!(b.num_rows() <= batch_rows);
            out.extend(cells(&b).into_iter().map(|cells| Row { month: m, cells }));
        }
    }
    out
}

fn cells(b: &RecordBatch) -> Vec<Vec<Option<String>>> {
    let schema = posting_schema();
    (0..b.num_rows())
        .map(|r| {
            schema
                .fields()
                .iter()
                .enumerate()
                .map(|(c, f)| {
                    let a = b.column(c);
                    if a.is_null(r) {
                        return None;
                    }
                    Some(if f.name() == col::POSTED_AT {
                        a.as_any().downcast_ref::<Date32Array>().unwrap().value(r).to_string()
                    } else {
                        a.as_any().downcast_ref::<StringArray>().unwrap().value(r).to_string()
                    })
                })
                .collect()
        })
        .collect()
}

fn idx(name: &str) -> usize {
    posting_schema().index_of(name).unwrap()
}

#[test]
fn schema_allocation_and_codes() {
    let g = generator();
    assert_eq!(g.months(), 72);
    assert_eq!(g.month_label(0), "2017-01");
    assert_eq!(g.month_label(71), "2022-12");
    let per_month: Vec<u64> = (0..72).map(|m| g.postings_in_month(m)).collect();
    assert_eq!(per_month.iter().sum::<u64>(), N);
    let year = |y: usize| per_month[y * 12..y * 12 + 12].iter().sum::<u64>();
    assert!(year(5) as f64 > 1.5 * year(0) as f64, "volume grows: {per_month:?}");
    let rows = rows(&g, 1000);
    assert_eq!(rows.len() as u64, N);
    for (m, &expected) in per_month.iter().enumerate() {
        assert_eq!(rows.iter().filter(|r| r.month == m).count() as u64, expected);
    }
    let codes: HashSet<String> =
        taxonomy().occupations().iter().map(|&i| taxonomy().classes()[i].code.to_string()).collect();
    let (code, id, platform) = (idx(col::TRUE_CODE), idx(col::POSTING_ID), idx(col::PLATFORM));
    let mut ids = HashSet::new();
    for r in &rows {
        let c = r.cells[code].as_deref().expect("true_code is always set");
        assert!(codes.contains(c), "{c} is not an occupation");
        assert!(ids.insert(r.cells[id].clone().expect("posting_id is non-null")), "duplicate id");
        assert!(r.cells[platform].is_some());
    }
    let distinct: HashSet<&str> = rows.iter().map(|r| r.cells[code].as_deref().unwrap_or("")).collect();
    assert!(distinct.len() > 600, "long tail: only {} occupations", distinct.len());
}

#[test]
fn deterministic_across_batches_generators_and_threads() {
    let a = generator();
    let b = generator();
    for m in [0, 37, 71] {
        let x: Vec<RecordBatch> = a.month_batches(m, 128).collect();
        let y: Vec<RecordBatch> = b.month_batches(m, 128).collect();
        assert_eq!(x, y, "month {m}");
    }
    let whole: Vec<Vec<Option<String>>> = rows(&a, 100_000).into_iter().map(|r| r.cells).collect();
    let small: Vec<Vec<Option<String>>> = rows(&b, 97).into_iter().map(|r| r.cells).collect();
    assert!(whole == small, "batch size changes the rows");
    let other = Generator::new(taxonomy(), options().seed(8)).unwrap();
    assert_ne!(a.month_batches(5, 500).next(), other.month_batches(5, 500).next());

    let opts = GeneratorOptions::default().postings(3_000).seed(11).batch_rows(700);
    let files = |threads: usize| {
        let dir = tempfile::tempdir().unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let summary = pool.install(|| generate_to_dir(taxonomy(), opts.clone(), dir.path())).unwrap();
        assert_eq!((summary.rows, summary.files), (3_000, 72));
        let mut out = Vec::new();
        for f in zhiye_ingest::list_parquet(dir.path()).unwrap() {
            let rel = f.strip_prefix(dir.path()).unwrap().to_path_buf();
            out.push((rel, std::fs::read(&f).unwrap()));
        }
        out
    };
    let one = files(1);
    assert_eq!(one.len(), 72);
    assert!(one[0].0.ends_with("month=2017-01/part-0.parquet"), "{:?}", one[0].0);
    assert!(one == files(2), "thread count changes the bytes");
}

#[test]
fn descriptions_titles_and_fields_look_like_boards() {
    let rows = rows(&generator(), 4096);
    let d = idx(col::DESCRIPTION);
    let lens: Vec<usize> = rows.iter().filter_map(|r| r.cells[d].as_deref()).map(|s| s.chars().count()).collect();
    let within = lens.iter().filter(|&&n| (150..=600).contains(&n)).count();
    assert!(within as f64 > 0.95 * lens.len() as f64, "{within} of {} within 150-600", lens.len());
    assert!(lens.len() < rows.len(), "some descriptions are missing");
    let with_tasks = rows
        .iter()
        .filter_map(|r| r.cells[d].as_deref())
        .filter(|s| ["要求", "任职资格", "任职条件"].iter().any(|h| s.contains(h)))
        .count();
    assert!(with_tasks as f64 > 0.8 * lens.len() as f64);

    let t = idx(col::TITLE);
    let titles: Vec<&str> = rows.iter().map(|r| r.cells[t].as_deref().unwrap()).collect();
    let tagged = titles.iter().filter(|s| s.contains('【') || s.contains('（') || s.contains('(')).count();
    assert!(tagged > 1000 && tagged < 8000, "{tagged} tagged titles");
    assert!(titles.iter().any(|s| s.contains("高级") || s.contains("资深")));
    assert!(titles.iter().any(|s| s.chars().any(|c| ('Ａ'..='ｚ').contains(&c))), "full-width titles");

    for (name, present) in [
        (col::SALARY_TEXT, 0.9),
        (col::EXPERIENCE_TEXT, 0.85),
        (col::EDUCATION_TEXT, 0.8),
        (col::HEADCOUNT_TEXT, 0.2),
        (col::COMPANY, 0.98),
        (col::INDUSTRY, 0.85),
    ] {
        let c = idx(name);
        let n = rows.iter().filter(|r| r.cells[c].as_deref().is_some_and(|s| !s.is_empty())).count();
        assert!(n as f64 > present * rows.len() as f64, "{name}: {n}");
        assert!(n < rows.len(), "{name} is never missing");
    }
    let s = idx(col::SALARY_TEXT);
    let salaries: HashSet<&str> = rows.iter().filter_map(|r| r.cells[s].as_deref()).collect();
    for pattern in ["千-", "万/月", "K", "k-", "元/月", "面议", "薪", "万/年", "/天"] {
        assert!(salaries.iter().any(|x| x.contains(pattern)), "no salary like {pattern}");
    }
    let c = idx(col::COMPANY);
    let mut per_company: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        if let Some(name) = r.cells[c].as_deref() {
            *per_company.entry(name).or_default() += 1;
        }
    }
    let top = per_company.values().max().copied().unwrap_or(0);
    assert!(top >= 20, "the biggest employer posts only {top} jobs");
}

#[test]
fn reposts_pair_up_across_platforms() {
    let rows = rows(&generator(), 5000);
    let key = [col::COMPANY, col::TITLE, col::CITY, col::TRUE_CODE, col::SALARY_TEXT, col::DESCRIPTION].map(idx);
    let p = idx(col::PLATFORM);
    let mut groups: HashMap<(usize, Vec<Option<String>>), Vec<&Row>> = HashMap::new();
    for r in &rows {
        groups.entry((r.month, key.iter().map(|&k| r.cells[k].clone()).collect())).or_default().push(r);
    }
    let pairs = groups.values().filter(|g| g.len() == 2 && g[0].cells[p] != g[1].cells[p]).count();
    let expected = 0.05 * N as f64;
    assert!(pairs as f64 > 0.7 * expected && (pairs as f64) < 1.3 * expected, "{pairs} repost pairs");
    // The repost comes on the same day or later.
    let at = idx(col::POSTED_AT);
    for g in groups.values().filter(|g| g.len() == 2) {
        if let (Some(a), Some(b)) = (&g[0].cells[at], &g[1].cells[at]) {
            assert!(b.parse::<i32>().unwrap() >= a.parse::<i32>().unwrap());
        }
    }
}

/// Monthly pay midpoints of BOSS-style `15-25K` salaries.
fn boss_mid(s: &str) -> Option<f64> {
    let s = s.split('·').next()?.strip_suffix('K')?;
    let (a, b) = s.split_once('-')?;
    Some((a.parse::<f64>().ok()? + b.parse::<f64>().ok()?) / 2.0)
}

#[test]
fn mix_and_pay_carry_signal() {
    let g = Generator::new(taxonomy(), GeneratorOptions::default().postings(60_000).seed(3)).unwrap();
    let rows = rows(&g, 8192);
    let (code, sal, exp) = (idx(col::TRUE_CODE), idx(col::SALARY_TEXT), idx(col::EXPERIENCE_TEXT));
    let share = |pred: &dyn Fn(&str) -> bool, years: std::ops::Range<usize>| {
        let sel: Vec<&Row> = rows.iter().filter(|r| years.contains(&(r.month / 12))).collect();
        sel.iter().filter(|r| pred(r.cells[code].as_deref().unwrap())).count() as f64 / sel.len() as f64
    };
    let all = 0..6;
    assert!(share(&|c| c.starts_with("4-"), all.clone()) > 0.3);
    assert!(share(&|c| c.starts_with("1-"), all.clone()) < 0.04);
    assert!(share(&|c| c.starts_with("4-01"), all.clone()) > 0.1);
    let it = |c: &str| c.starts_with("2-02-10") || c.starts_with("2-02-38") || c.starts_with("4-04");
    let (it17, it22) = (share(&it, 0..1), share(&it, 5..6));
    assert!(it22 > it17 * 1.2, "IT share {it17:.3} → {it22:.3}");

    let mean = |pred: &dyn Fn(&Row) -> bool| {
        let v: Vec<f64> =
            rows.iter().filter(|r| pred(r)).filter_map(|r| r.cells[sal].as_deref().and_then(boss_mid)).collect();
        assert!(v.len() > 100, "too few BOSS salaries");
        v.iter().sum::<f64>() / v.len() as f64
    };
    let is = |r: &Row, p: &str| r.cells[code].as_deref().is_some_and(|c| c.starts_with(p));
    let it_pay = mean(&|r| is(r, "2-02-10"));
    let catering_pay = mean(&|r| is(r, "4-03"));
    assert!(it_pay > 1.5 * catering_pay, "IT {it_pay:.1}K vs catering {catering_pay:.1}K");
    let early = mean(&|r| r.month < 12);
    let late = mean(&|r| r.month >= 60);
    assert!(late > early * 1.15, "pay 2017 {early:.1}K → 2022 {late:.1}K");
    let city = idx(col::CITY);
    let in_cities = |r: &Row, list: &[&str]| r.cells[city].as_deref().is_some_and(|c| list.contains(&c));
    let first_tier = mean(&|r| in_cities(r, &["北京", "上海", "广州", "深圳"]));
    let third_tier = mean(&|r| in_cities(r, &["潍坊", "保定", "洛阳", "芜湖", "临沂", "扬州", "镇江", "赣州"]));
    assert!(first_tier > 1.2 * third_tier, "first tier {first_tier:.1}K vs third tier {third_tier:.1}K");
    let junior = mean(&|r| r.cells[exp].as_deref() == Some("1-3年"));
    let senior = mean(&|r| r.cells[exp].as_deref() == Some("5-10年"));
    assert!(senior > 1.3 * junior, "1-3年 {junior:.1}K vs 5-10年 {senior:.1}K");
}

#[test]
fn invalid_options_are_errors() {
    let bad = GeneratorOptions::default().repost_rate(0.9);
    assert!(Generator::new(taxonomy(), bad).unwrap_err().to_string().contains("repost rate"));
    let first = "2020-01".parse().unwrap();
    let last = "2019-12".parse().unwrap();
    let err = Generator::new(taxonomy(), GeneratorOptions::default().months(first, last)).unwrap_err();
    assert!(err.to_string().contains("after"), "{err}");
    assert!("2019-13".parse::<zhiye_synth::YearMonth>().is_err());
    let g = Generator::new(taxonomy(), GeneratorOptions::default().postings(10).months(first, first)).unwrap();
    assert_eq!((g.months(), g.postings_in_month(0), g.postings_in_month(1)), (1, 10, 0));
    assert_eq!(g.month_batches(1, 10).count(), 0);
}

/// Every posting asked for comes out of the month batches once; the single-thread speed is printed
/// (run with `--nocapture`) for information.
#[test]
fn month_batches_add_up_to_the_postings_asked_for() {
    let g = Generator::new(taxonomy(), GeneratorOptions::default().postings(144_000).seed(1)).unwrap();
    let start = Instant::now();
    let mut n = 0usize;
    for m in 0..g.months() {
        for b in g.month_batches(m, 65_536) {
            n += b.num_rows();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(n, 144_000, "every posting asked for, once");
    // The speed is printed for information; benchmarks, not tests, judge it.
    println!("zhiye-synth: {n} postings in {secs:.2}s on one thread = {:.0} postings/s", n as f64 / secs);
}

/// Keys of every name and alias (and `/` part) of the taxonomy, as
/// `scripts/board_shares.py` compares them: lower case, letters and digits.
fn term_keys() -> HashSet<String> {
    let key = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let mut keys = HashSet::new();
    for c in taxonomy().classes() {
        for t in std::iter::once(&c.name).chain(&c.aliases) {
            for part in std::iter::once(t.as_str()).chain(t.split('/')) {
                let k = key(part);
                if k.chars().count() >= 2 {
                    keys.insert(k);
                }
            }
        }
    }
    keys
}

/// Board-style titles look like the real samples' in the measured ways
/// (board_title.rs): few are a bare name or alias, some name no occupation,
/// and they repeat far more than taxonomy-style titles; the same seed gives
/// the same corpus.
#[test]
fn board_titles_are_messy_and_repeat() {
    let keys = term_keys();
    let key = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let measure = |style: TitleStyle| {
        let g = Generator::new(taxonomy(), options().titles(style)).unwrap();
        let rows = rows(&g, 4096);
        let titles: Vec<String> = rows.iter().map(|r| r.cells[idx(col::TITLE)].clone().unwrap()).collect();
        let n = titles.len() as f64;
        let exact = titles.iter().filter(|t| keys.contains(&key(t))).count() as f64 / n;
        let no_term = titles
            .iter()
            .filter(|t| {
                let k: Vec<char> = key(t).chars().collect();
                !(0..k.len()).any(|i| (i + 2..=k.len()).any(|j| keys.contains(&k[i..j].iter().collect::<String>())))
            })
            .count() as f64
            / n;
        let distinct = titles.iter().collect::<HashSet<_>>().len() as f64 / n;
        (exact, no_term, distinct, titles)
    };
    let (t_exact, _, t_distinct, _) = measure(TitleStyle::Taxonomy);
    let (b_exact, b_no_term, b_distinct, b_titles) = measure(TitleStyle::Boards);
    assert!((0.08..0.2).contains(&b_exact), "boards: {b_exact:.3} exactly a name or alias (real 0.137)");
    assert!(t_exact > 0.45, "taxonomy style: {t_exact:.3}");
    assert!((0.03..0.08).contains(&b_no_term), "boards: {b_no_term:.3} with no term (real 0.055)");
    assert!(
        b_distinct < 0.45 && b_distinct < t_distinct,
        "distinct titles: boards {b_distinct:.3}, taxonomy {t_distinct:.3}"
    );
    let (_, _, _, again) = measure(TitleStyle::Boards);
    assert_eq!(b_titles, again);
}
