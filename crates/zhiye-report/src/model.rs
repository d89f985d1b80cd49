//! The report model: plain data the caller fills and [`crate::render`] turns
//! into pages. Nothing here knows what the numbers mean.
//!
//! Every type implements `Default` (so struct literals can end in
//! `..Default::default()`) and serde's `Serialize`/`Deserialize` (so a model
//! can be kept as JSON next to the pages it produced).

use serde::{Deserialize, Serialize};

/// A whole report: a set of pages sharing a title and a navigation bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    /// Shown at the top of every page and in each page's `<title>`.
    pub title: String,
    /// One line under the title; empty for none.
    pub subtitle: String,
    /// Footer of every page, e.g. the inputs and version that produced the
    /// report; empty for none. The writer adds no timestamp of its own, so the
    /// output stays byte-identical for the same model.
    pub generated_note: String,
    /// The `lang` attribute of every page (BCP 47). Default `zh-CN`, which
    /// also makes browsers pick Simplified Chinese glyphs.
    pub lang: String,
    /// The pages. The first is written as `index.html`, the others as
    /// `<slug>.html`; there must be at least one.
    pub pages: Vec<Page>,
}

impl Default for Report {
    fn default() -> Self {
        Report {
            title: String::new(),
            subtitle: String::new(),
            generated_note: String::new(),
            lang: "zh-CN".to_owned(),
            pages: Vec::new(),
        }
    }
}

/// One HTML page of a [`Report`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    /// File stem and navigation key: ASCII letters, digits, `-` and `_`,
    /// unique within the report. The first page is written as `index.html`
    /// whatever its slug; no other page may use the slug `index`.
    pub slug: String,
    /// The page heading and navigation label.
    pub title: String,
    /// Text under the heading; paragraphs are separated by blank lines.
    pub intro: String,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

/// A titled block of a [`Page`]: text, then charts, then tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Section {
    /// The section heading.
    pub title: String,
    /// Plain text (HTML is escaped); paragraphs are separated by blank lines.
    pub text: String,
    /// Charts, each rendered as an inline `<svg class="chart">`.
    pub charts: Vec<Chart>,
    /// Tables, rendered after the charts.
    pub tables: Vec<Table>,
}

/// One chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    /// Points on two numeric axes.
    Scatter(Scatter),
    /// One bar per labelled value.
    Bars(Bars),
    /// Counts over numeric bins.
    Histogram(Histogram),
}

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Scatter(c) => &c.title,
            Chart::Bars(c) => &c.title,
            Chart::Histogram(c) => &c.title,
        }
    }

    /// The value of the chart's `data-kind` attribute: `scatter`, `bars` or
    /// `histogram`.
    pub fn kind(&self) -> &'static str {
        match self {
            Chart::Scatter(_) => "scatter",
            Chart::Bars(_) => "bars",
            Chart::Histogram(_) => "histogram",
        }
    }
}

impl From<Scatter> for Chart {
    fn from(c: Scatter) -> Self {
        Chart::Scatter(c)
    }
}

impl From<Bars> for Chart {
    fn from(c: Bars) -> Self {
        Chart::Bars(c)
    }
}

impl From<Histogram> for Chart {
    fn from(c: Histogram) -> Self {
        Chart::Histogram(c)
    }
}

/// A scatter plot, optionally with a fitted line and a note in the corner.
///
/// Points whose `x`, `y` or `weight` is not finite (or whose weight is
/// negative) are skipped and counted in the figure caption.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scatter {
    /// The chart title.
    pub title: String,
    /// Label of the horizontal axis.
    pub x_label: String,
    /// Label of the vertical axis.
    pub y_label: String,
    /// The points.
    pub points: Vec<Point>,
    /// A line `y = intercept + slope · x`, drawn across the points' x-range
    /// (clipped to the plot area).
    pub fit: Option<Line>,
    /// Text in the top-left corner of the plot, e.g.
    /// `r = 0.42*** (Pearson), ρ = 0.40***, n = 72`.
    pub annotation: Option<String>,
}

/// One point of a [`Scatter`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Point {
    /// Horizontal value.
    pub x: f64,
    /// Vertical value.
    pub y: f64,
    /// Marker area is proportional to the weight (the largest weight gets the
    /// largest marker; tiny markers are kept at a visible minimum radius).
    /// `None` draws the default marker size.
    pub weight: Option<f64>,
    /// Tooltip text (an SVG `<title>`); the coordinates are appended.
    pub label: String,
}

/// A straight line `y = intercept + slope · x`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Line {
    /// Value at `x = 0`.
    pub intercept: f64,
    /// Change of `y` per unit of `x`.
    pub slope: f64,
}

/// A bar chart. Bars are drawn in the given order; non-finite values are
/// skipped and counted in the figure caption.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Bars {
    /// The chart title.
    pub title: String,
    /// Label of the value axis.
    pub value_label: String,
    /// The bars.
    pub bars: Vec<Bar>,
    /// `true` (the default): one row per bar with its label on the left,
    /// which fits long (e.g. Chinese) labels. `false`: vertical columns with
    /// labels underneath, slanted when they do not fit.
    pub horizontal: bool,
    /// Decimals of the value printed at each bar; `None` picks 0 when every
    /// value is a whole number and one more than the axis ticks otherwise.
    pub decimals: Option<usize>,
}

impl Default for Bars {
    fn default() -> Self {
        Bars { title: String::new(), value_label: String::new(), bars: Vec::new(), horizontal: true, decimals: None }
    }
}

/// One bar of a [`Bars`] chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Bar {
    /// The category label.
    pub label: String,
    /// The length of the bar (may be negative).
    pub value: f64,
    /// Printed after the value, e.g. `n = 12`.
    pub note: Option<String>,
}

/// A histogram of pre-computed bins. Bins with a non-finite edge or
/// `lo >= hi` are skipped and counted in the figure caption.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Histogram {
    /// The chart title.
    pub title: String,
    /// Label of the horizontal axis (the binned quantity).
    pub x_label: String,
    /// Label of the count axis; empty for none.
    pub y_label: String,
    /// The bins; they need not be sorted or contiguous.
    pub bins: Vec<Bin>,
}

/// One bin of a [`Histogram`]: `count` observations in `[lo, hi)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Observations in the bin.
    pub count: u64,
}

/// A table. Numbers are right-aligned; a column is numeric when every
/// non-missing cell in it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Table {
    /// Shown above the table.
    pub caption: String,
    /// Column headers. Every row must have exactly this many cells.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// Shown under the table; empty for none.
    pub note: String,
    /// Path or URL (relative to the page) of a CSV holding every row. It is
    /// linked when the table is truncated.
    pub full_csv: Option<String>,
    /// Rows shown before the table is truncated with a note;
    /// `None` means [`Table::DEFAULT_MAX_ROWS`].
    pub max_rows: Option<usize>,
}

impl Table {
    /// Rows shown when [`Table::max_rows`] is `None`.
    pub const DEFAULT_MAX_ROWS: usize = 200;

    /// The number of rows that will be shown.
    pub fn shown_rows(&self) -> usize {
        self.rows.len().min(self.max_rows.unwrap_or(Self::DEFAULT_MAX_ROWS))
    }
}

/// One table cell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// Text, left-aligned.
    Text(String),
    /// An integer, right-aligned.
    Int(i64),
    /// A number printed with a fixed number of decimals, right-aligned.
    Float {
        /// The value; non-finite values print as `NaN`, `inf` or `-inf`.
        value: f64,
        /// Digits after the decimal point.
        decimals: usize,
    },
    /// No value; printed as a dash.
    #[default]
    Missing,
}

impl Cell {
    /// Whether the cell holds a number (and is right-aligned).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float { .. })
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Missing, Into::into)
    }
}

impl Report {
    /// Checks that the report can be rendered: at least one page; every page
    /// after the first has a unique slug of ASCII letters, digits, `-` and
    /// `_` other than `index` (compared ignoring case, for case-insensitive
    /// file systems); every table row has one cell per column.
    ///
    /// [`crate::render`] and [`crate::write`] call this first.
    pub fn validate(&self) -> crate::Result<()> {
        let invalid = |m: String| Err(crate::Error::Invalid(m));
        if self.pages.is_empty() {
            return invalid("a report needs at least one page".to_owned());
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, page) in self.pages.iter().enumerate().skip(1) {
            let slug = &page.slug;
            if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return invalid(format!(
                    "page {} ({:?}): slug {slug:?} must be ASCII letters, digits, - or _",
                    i + 1,
                    page.title
                ));
            }
            let key = slug.to_ascii_lowercase();
            if key == "index" {
                return invalid(format!("page {}: the slug \"index\" is reserved for the first page", i + 1));
            }
            if !seen.insert(key) {
                return invalid(format!("page {}: slug {slug:?} is used twice", i + 1));
            }
        }
        for page in &self.pages {
            for section in &page.sections {
                for table in &section.tables {
                    if let Some(r) = table.rows.iter().position(|row| row.len() != table.columns.len()) {
                        return invalid(format!(
                            "page {:?}, table {:?}: row {} has {} cells for {} columns",
                            page.title,
                            table.caption,
                            r + 1,
                            table.rows[r].len(),
                            table.columns.len()
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
