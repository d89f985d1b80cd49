//! The standard corpus of the benches: postings of the synthetic generator
//! (fixed seed), as plain strings per field, and the taxonomy folder.

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array, Date32Array};
use zhiye_core::Taxonomy;
use zhiye_ingest::col;
use zhiye_synth::{Generator, GeneratorOptions};

/// Postings per bench.
pub const POSTINGS: usize = 10_000;

/// One field per vector, row for row.
#[derive(Default)]
pub struct Corpus {
    pub titles: Vec<String>,
    pub descriptions: Vec<String>,
    pub salaries: Vec<String>,
    pub experiences: Vec<String>,
    pub educations: Vec<String>,
    pub headcounts: Vec<String>,
    /// Posting dates written the ways job boards write them.
    pub dates: Vec<String>,
}

/// The taxonomy folder `make setup` fills.
pub fn taxonomy_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ocd2022");
    assert!(dir.join("csco22.csv").exists(), "run `make setup` first");
    dir
}

/// The rules file shipped in `config/`.
#[allow(dead_code)] // Each bench binary compiles this module; not all use everything.
pub fn rules_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml")
}

/// The first [`POSTINGS`] postings of the generator with seed 1, spread over all months.
pub fn corpus(taxonomy: &Taxonomy) -> Corpus {
    let g = Generator::new(taxonomy, GeneratorOptions::default().postings(POSTINGS as u64 * 72).seed(1)).unwrap();
    let mut c = Corpus::default();
    for batch in g.month_batches(60, 4096) {
        let text = |name| batch.column_by_name(name).unwrap().as_string::<i32>().clone();
        let value = |a: &arrow_array::StringArray, i| if a.is_null(i) { String::new() } else { a.value(i).to_string() };
        let (t, d) = (text(col::TITLE), text(col::DESCRIPTION));
        let (s, x, e, h) =
            (text(col::SALARY_TEXT), text(col::EXPERIENCE_TEXT), text(col::EDUCATION_TEXT), text(col::HEADCOUNT_TEXT));
        let posted = batch.column_by_name(col::POSTED_AT).unwrap();
        let posted = posted.as_any().downcast_ref::<Date32Array>().unwrap();
        for i in 0..batch.num_rows() {
            c.titles.push(value(&t, i));
            c.descriptions.push(value(&d, i));
            c.salaries.push(value(&s, i));
            c.experiences.push(value(&x, i));
            c.educations.push(value(&e, i));
            c.headcounts.push(value(&h, i));
            c.dates.push(board_date(posted.value(i), c.dates.len()));
        }
    }
    for v in [
        &mut c.titles,
        &mut c.descriptions,
        &mut c.salaries,
        &mut c.experiences,
        &mut c.educations,
        &mut c.headcounts,
        &mut c.dates,
    ] {
        v.truncate(POSTINGS);
    }
    c
}

/// A day since 1970 written in one of the boards' styles, chosen by row.
fn board_date(days: i32, row: usize) -> String {
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    match row % 5 {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}/{m}/{d}"),
        2 => format!("{y}年{m}月{d}日"),
        3 => format!("{y}.{m:02}.{d:02} 10:32:05"),
        _ => format!("{m:02}-{d:02}发布"),
    }
}
