//! Inline SVG charts. Each chart is one `<svg class="chart">` element with a
//! `<title>`, a visible heading, axes and its data marks; the page's CSS gives
//! them their look.
//!
//! Data marks (the circles, bars and histogram rectangles) carry the class
//! `mark`; axes, grid lines, fitted lines and labels do not. The page's check
//! script counts a chart as rendered only when a `mark` has a drawn size, so
//! a chart without data (which shows a "no data" message, `data-empty="true"`)
//! is reported as failed rather than passing on its axes alone.

mod bars;
mod histogram;
mod scatter;
pub(crate) mod text;

use std::fmt::Write as _;

use crate::escape::Escaped;
use crate::model::Chart;
use crate::scale::{Linear, Ticks, coord};

/// Font size of tick labels, bar labels and notes, px.
const FONT: f64 = 12.0;
/// Font size of axis labels, px.
const LABEL_FONT: f64 = 13.0;
/// Font size of the chart title, px.
const TITLE_FONT: f64 = 15.0;
/// Width of every chart's drawing, px (it scales down on narrow screens).
const WIDTH: f64 = 720.0;
/// Height of the title band above the plot, px.
const TITLE_BAND: f64 = 40.0;
/// Shown in a chart that has nothing to draw.
const NO_DATA: &str = "No data to plot";

/// A rendered chart: the `<svg>` element and the lines of its caption.
#[derive(Debug)]
pub(crate) struct Figure {
    /// The `<svg class="chart">…</svg>` element.
    pub svg: String,
    /// Caption lines (skipped values and the like), plain text.
    pub notes: Vec<String>,
}

/// Renders one chart.
pub(crate) fn render(chart: &Chart) -> Figure {
    match chart {
        Chart::Scatter(c) => scatter::render(c),
        Chart::Bars(c) => bars::render(c),
        Chart::Histogram(c) => histogram::render(c),
    }
}

/// The plot area inside a chart, in px.
#[derive(Clone, Copy, Debug)]
struct Plot {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Plot {
    fn width(&self) -> f64 {
        self.right - self.left
    }

    fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// An `<svg>` element being written.
#[derive(Debug)]
struct Canvas {
    out: String,
}

impl Canvas {
    /// Opens the element and writes its `<title>` and visible heading.
    /// `empty` marks a chart without data (`data-empty="true"`).
    fn open(kind: &str, width: f64, height: f64, title: &str, empty: bool) -> Canvas {
        let mut out = String::with_capacity(4096);
        let (w, h) = (coord(width), coord(height));
        let _ = write!(
            out,
            r#"<svg class="chart" data-kind="{kind}" data-empty="{empty}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" role="img"><title>{}</title>"#,
            Escaped(title)
        );
        let shown = text::fit(title, TITLE_FONT, width - 24.0);
        let _ = write!(out, r#"<text class="chart-title" x="12" y="24">{}</text>"#, Escaped(&shown));
        Canvas { out }
    }

    /// Closes the element.
    fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }

    /// A `<text>` element. `anchor` is `start`, `middle` or `end`.
    fn text(&mut self, class: &str, x: f64, y: f64, anchor: &str, s: &str) {
        self.text_element(class, x, y, anchor, None, s, s);
    }

    /// `full` shortened to `max` px at `size` px (see [`text::fit`]); when
    /// shortened, the full text is the element's tooltip.
    #[allow(clippy::too_many_arguments)]
    fn fitted_text(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        anchor: &str,
        degrees: Option<i32>,
        full: &str,
        size: f64,
        max: f64,
    ) {
        let shown = text::fit(full, size, max);
        self.text_element(class, x, y, anchor, degrees, &shown, full);
    }

    #[allow(clippy::too_many_arguments)]
    fn text_element(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        anchor: &str,
        degrees: Option<i32>,
        shown: &str,
        full: &str,
    ) {
        let (x, y) = (coord(x), coord(y));
        let _ = write!(self.out, r#"<text class="{class}" x="{x}" y="{y}" text-anchor="{anchor}""#);
        if let Some(d) = degrees {
            let _ = write!(self.out, r#" transform="rotate({d} {x} {y})""#);
        }
        let _ = write!(self.out, ">{}", Escaped(shown));
        if shown != full {
            let _ = write!(self.out, "<title>{}</title>", Escaped(full));
        }
        self.out.push_str("</text>");
    }

    /// A straight line.
    fn line(&mut self, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
        let _ = write!(
            self.out,
            r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            coord(x1),
            coord(y1),
            coord(x2),
            coord(y2)
        );
    }

    /// A rectangle; `tooltip` becomes its `<title>`.
    fn rect(&mut self, class: &str, x: f64, y: f64, w: f64, h: f64, tooltip: Option<&str>) {
        let _ = write!(
            self.out,
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}""#,
            coord(x),
            coord(y),
            coord(w.max(0.0)),
            coord(h.max(0.0))
        );
        match tooltip {
            Some(t) => {
                let _ = write!(self.out, "><title>{}</title></rect>", Escaped(t));
            }
            None => self.out.push_str("/>"),
        }
    }

    /// A horizontal value axis under the plot: grid lines, tick labels and
    /// the axis label.
    fn x_axis(&mut self, plot: Plot, ticks: &Ticks, scale: &Linear, label: &str) {
        for &v in &ticks.values {
            let x = scale.map(v);
            self.line("grid", x, plot.top, x, plot.bottom);
            self.text("tick", x, plot.bottom + FONT + 6.0, "middle", &ticks.label(v));
        }
        self.line("axis", plot.left, plot.bottom, plot.right, plot.bottom);
        if !label.is_empty() {
            let (x, y) = ((plot.left + plot.right) / 2.0, plot.bottom + FONT + LABEL_FONT + 16.0);
            self.fitted_text("axis-label", x, y, "middle", None, label, LABEL_FONT, plot.width());
        }
    }

    /// A vertical value axis left of the plot: grid lines, tick labels and
    /// the (rotated) axis label. `label_x` is where the label's centre line
    /// goes.
    fn y_axis(&mut self, plot: Plot, ticks: &Ticks, scale: &Linear, label: &str, label_x: f64) {
        for &v in &ticks.values {
            let y = scale.map(v);
            self.line("grid", plot.left, y, plot.right, y);
            self.text("tick", plot.left - 6.0, y + FONT * 0.35, "end", &ticks.label(v));
        }
        self.line("axis", plot.left, plot.top, plot.left, plot.bottom);
        if !label.is_empty() {
            let y = (plot.top + plot.bottom) / 2.0;
            self.fitted_text("axis-label", label_x, y, "middle", Some(-90), label, LABEL_FONT, plot.height());
        }
    }

    /// The frame and message of a chart without data.
    fn empty_state(&mut self, plot: Plot, message: &str) {
        self.rect("frame", plot.left, plot.top, plot.width(), plot.height(), None);
        self.text("empty-note", (plot.left + plot.right) / 2.0, (plot.top + plot.bottom) / 2.0, "middle", message);
    }
}

/// Width reserved for the tick labels of a vertical axis.
fn tick_label_width(ticks: &Ticks) -> f64 {
    ticks.values.iter().map(|&v| text::width(&ticks.label(v), FONT)).fold(0.0, f64::max)
}

/// "3 of 75 points not shown (non-finite value)"-style caption line.
fn skipped_note(skipped: usize, total: usize, what: &str, why: &str) -> Option<String> {
    (skipped > 0).then(|| format!("{skipped} of {total} {what} not shown ({why})."))
}
