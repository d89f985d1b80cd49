//! [`GeneratorOptions`] and the [`YearMonth`] it uses for the corpus window.

use std::fmt;
use std::str::FromStr;

use crate::SynthError;

/// A calendar month, e.g. `2017-01`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl YearMonth {
    /// The month, `None` unless `month` is 1 to 12 and the year 1900 to 2999.
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=12).contains(&month) && (1900..=2999).contains(&year)).then_some(YearMonth { year, month })
    }

    /// Months since January of year 0: consecutive months differ by one.
    pub(crate) fn ordinal(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month `n` months later.
    pub(crate) fn plus(self, n: usize) -> YearMonth {
        let o = self.ordinal() + n as i64;
        YearMonth { year: o.div_euclid(12) as i32, month: o.rem_euclid(12) as u32 + 1 }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = SynthError;

    /// Parses `YYYY-MM`.
    fn from_str(s: &str) -> Result<YearMonth, SynthError> {
        let bad = || SynthError::Options(format!("{s:?} is not a month of the form YYYY-MM"));
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (y, m) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        YearMonth::new(y, m).ok_or_else(bad)
    }
}

/// What to generate. Every field has a documented default; set fields
/// directly or chain the setters:
///
/// ```
/// use zhiye_synth::GeneratorOptions;
///
/// let o = GeneratorOptions::default().postings(1_000).seed(7);
/// assert_eq!((o.postings, o.seed, o.repost_rate), (1_000, 7, 0.05));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorOptions {
    /// Total number of postings over the whole window (default 200 000),
    /// reposts included.
    pub postings: u64,
    /// Seed of every random choice (default 42): the same seed and options
    /// give byte-identical batches whatever the thread count.
    pub seed: u64,
    /// First month of the window (default 2017-01).
    pub first_month: YearMonth,
    /// Last month of the window, inclusive (default 2022-12).
    pub last_month: YearMonth,
    /// Share of postings that repost a vacancy of the same month on another
    /// platform (default 0.05, at most 0.5).
    pub repost_rate: f64,
    /// Rows per record batch written by [`crate::generate_to_dir`] (default
    /// 65 536, one Parquet row group).
    pub batch_rows: usize,
    /// How titles look (default [`TitleStyle::Taxonomy`], the corpus the
    /// earlier benchmarks ran on).
    pub titles: TitleStyle,
}

/// How the generator writes titles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TitleStyle {
    /// The taxonomy's names and aliases, about half of them decorated: easy
    /// for any coder (the Python peer decides 98.6% of them by exact lookup).
    #[default]
    Taxonomy,
    /// As messy and repetitive as the real boards' titles, measured on the
    /// samples (see `board_title.rs`): few are a bare alias, some name no
    /// occupation, their counts follow a Zipf law.
    Boards,
}

impl FromStr for TitleStyle {
    type Err = SynthError;

    /// `taxonomy` or `boards`.
    fn from_str(s: &str) -> Result<TitleStyle, SynthError> {
        match s {
            "taxonomy" => Ok(TitleStyle::Taxonomy),
            "boards" => Ok(TitleStyle::Boards),
            _ => Err(SynthError::Options(format!("title style {s:?}: expected taxonomy or boards"))),
        }
    }
}

impl fmt::Display for TitleStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TitleStyle::Taxonomy => "taxonomy",
            TitleStyle::Boards => "boards",
        })
    }
}

impl Default for GeneratorOptions {
    fn default() -> GeneratorOptions {
        GeneratorOptions {
            postings: 200_000,
            seed: 42,
            first_month: YearMonth { year: 2017, month: 1 },
            last_month: YearMonth { year: 2022, month: 12 },
            repost_rate: 0.05,
            batch_rows: zhiye_ingest::ROW_GROUP_ROWS,
            titles: TitleStyle::Taxonomy,
        }
    }
}

impl GeneratorOptions {
    /// Sets [`GeneratorOptions::postings`].
    pub fn postings(mut self, postings: u64) -> GeneratorOptions {
        self.postings = postings;
        self
    }

    /// Sets [`GeneratorOptions::seed`].
    pub fn seed(mut self, seed: u64) -> GeneratorOptions {
        self.seed = seed;
        self
    }

    /// Sets the window, both months inclusive.
    pub fn months(mut self, first: YearMonth, last: YearMonth) -> GeneratorOptions {
        self.first_month = first;
        self.last_month = last;
        self
    }

    /// Sets [`GeneratorOptions::repost_rate`].
    pub fn repost_rate(mut self, rate: f64) -> GeneratorOptions {
        self.repost_rate = rate;
        self
    }

    /// Sets [`GeneratorOptions::titles`].
    pub fn titles(mut self, titles: TitleStyle) -> GeneratorOptions {
        self.titles = titles;
        self
    }

    /// Sets [`GeneratorOptions::batch_rows`].
    pub fn batch_rows(mut self, rows: usize) -> GeneratorOptions {
        self.batch_rows = rows;
        self
    }

    /// Checks every option; the error names the offending one.
    pub fn validate(&self) -> Result<(), SynthError> {
        let bad = |m: String| Err(SynthError::Options(m));
        let (f, l) = (self.first_month, self.last_month);
        if YearMonth::new(f.year, f.month).is_none() || YearMonth::new(l.year, l.month).is_none() {
            return bad(format!("months {f} to {l}: a month must be 1 to 12 of a year 1900 to 2999"));
        }
        if f > l {
            return bad(format!("first month {f} is after last month {l}"));
        }
        if !(0.0..=0.5).contains(&self.repost_rate) {
            return bad(format!("repost rate {} is not within 0 to 0.5", self.repost_rate));
        }
        if self.batch_rows == 0 {
            return bad("batch rows must be at least 1".into());
        }
        Ok(())
    }
}
