//! Scatter plots: one circle per point, area proportional to its weight, an
//! optional fitted line and a corner annotation.

use std::fmt::Write as _;

use super::{Canvas, FONT, Figure, LABEL_FONT, NO_DATA, Plot, TITLE_BAND, WIDTH, skipped_note, text, tick_label_width};
use crate::escape::Escaped;
use crate::model::{Line, Point, Scatter};
use crate::scale::{Linear, Ticks, coord, number};

/// Height of a scatter chart, px.
const HEIGHT: f64 = 480.0;
/// Radius of a point without weight, px.
const RADIUS: f64 = 4.0;
/// Radius of the heaviest point, px.
const MAX_RADIUS: f64 = 12.0;
/// Gap between the axes and the first and last ticks, px.
const INSET: f64 = 10.0;
/// Smallest radius of a weighted point, so light points stay visible, px.
const MIN_RADIUS: f64 = 1.5;

/// Renders a scatter plot.
pub(super) fn render(chart: &Scatter) -> Figure {
    let points: Vec<&Point> = chart.points.iter().filter(|p| is_drawable(p)).collect();
    let mut notes: Vec<String> = skipped_note(
        chart.points.len() - points.len(),
        chart.points.len(),
        "points",
        "non-finite coordinate or invalid weight",
    )
    .into_iter()
    .collect();

    let (x_lo, x_hi) = extent(points.iter().map(|p| p.x));
    let (y_lo, y_hi) = extent(points.iter().map(|p| p.y));
    let xt = Ticks::cover(x_lo, x_hi, 6);
    let yt = Ticks::cover(y_lo, y_hi, 6);
    let y_label_x = 16.0;
    let plot = Plot {
        left: y_label_x + LABEL_FONT + tick_label_width(&yt) + 12.0,
        top: TITLE_BAND,
        right: WIDTH - 20.0,
        bottom: HEIGHT - (FONT + LABEL_FONT + 30.0),
    };
    let mut c = Canvas::open("scatter", WIDTH, HEIGHT, &chart.title, points.is_empty());
    if points.is_empty() {
        c.empty_state(plot, NO_DATA);
        return Figure { svg: c.finish(), notes };
    }
    // The ticks span the plot less an inset, so markers at the extremes do
    // not sit on the axes.
    let sx = Linear::from_ticks(&xt, (plot.left + INSET, plot.right - INSET));
    let sy = Linear::from_ticks(&yt, (plot.bottom - INSET, plot.top + INSET));
    c.x_axis(plot, &xt, &sx, &chart.x_label);
    c.y_axis(plot, &yt, &sy, &chart.y_label, y_label_x);

    // Heaviest first, so light points are drawn on top of heavy ones.
    let max_weight = points.iter().filter_map(|p| p.weight).fold(0.0, f64::max);
    let mut order: Vec<(f64, &Point)> = points.iter().map(|&p| (radius(p.weight, max_weight), p)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let decimals = (xt.decimals.max(yt.decimals) + 2).min(12);
    c.out.push_str(r#"<g class="points">"#);
    for (r, p) in order {
        let coords = format!("({}, {})", number(p.x, decimals), number(p.y, decimals));
        let tooltip = if p.label.is_empty() { coords } else { format!("{} {coords}", p.label) };
        let _ = write!(
            c.out,
            r#"<circle class="mark" cx="{}" cy="{}" r="{}"><title>{}</title></circle>"#,
            coord(sx.map(p.x)),
            coord(sy.map(p.y)),
            coord(r),
            Escaped(&tooltip)
        );
    }
    c.out.push_str("</g>");

    if let Some(line) = chart.fit {
        match clip(line, (x_lo, x_hi), sy.domain()) {
            Some(((x0, y0), (x1, y1))) => {
                let _ = write!(
                    c.out,
                    r#"<path class="fit" d="M{} {}L{} {}"/>"#,
                    coord(sx.map(x0)),
                    coord(sy.map(y0)),
                    coord(sx.map(x1)),
                    coord(sy.map(y1))
                );
            }
            None if !(line.intercept.is_finite() && line.slope.is_finite()) => {
                notes.push("Fitted line not drawn (non-finite coefficients).".to_owned());
            }
            None => notes.push("Fitted line lies outside the plotted range.".to_owned()),
        }
    }
    if let Some(note) = chart.annotation.as_deref().filter(|n| !n.is_empty()) {
        let shown = text::fit(note, FONT, plot.width() - 24.0);
        let w = text::width(&shown, FONT) + 12.0;
        c.rect("annotation-bg", plot.left + 6.0, plot.top + 6.0, w, FONT + 10.0, None);
        c.text("annotation", plot.left + 12.0, plot.top + 6.0 + FONT + 2.0, "start", &shown);
    }
    Figure { svg: c.finish(), notes }
}

/// Whether a point can be drawn: finite coordinates and, if weighted, a
/// finite non-negative weight.
fn is_drawable(p: &Point) -> bool {
    p.x.is_finite() && p.y.is_finite() && p.weight.is_none_or(|w| w.is_finite() && w >= 0.0)
}

/// Smallest and largest value (`(0, 0)` for none).
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .fold(None, |acc: Option<(f64, f64)>, v| Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))))
        .unwrap_or((0.0, 0.0))
}

/// Marker radius: area proportional to `weight / max_weight`.
fn radius(weight: Option<f64>, max_weight: f64) -> f64 {
    match weight {
        Some(w) if max_weight > 0.0 => (MAX_RADIUS * (w / max_weight).sqrt()).max(MIN_RADIUS),
        Some(_) | None => RADIUS,
    }
}

/// The part of `line` over `xs` that lies within `ys`, as two end points.
fn clip(line: Line, xs: (f64, f64), ys: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    let Line { intercept: a, slope: b } = line;
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (y_lo, y_hi) = (ys.0.min(ys.1), ys.0.max(ys.1));
    let (mut x0, mut x1) = xs;
    if b == 0.0 {
        if a < y_lo || a > y_hi {
            return None;
        }
    } else {
        let (xa, xb) = ((y_lo - a) / b, (y_hi - a) / b);
        x0 = x0.max(xa.min(xb));
        x1 = x1.min(xa.max(xb));
    }
    (x0 < x1).then_some(((x0, a + b * x0), (x1, a + b * x1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Chart;

    #[test]
    fn clip_keeps_the_line_inside_the_plot() {
        let flat = Line { intercept: 1.0, slope: 0.0 };
        assert_eq!(clip(flat, (0.0, 2.0), (0.0, 3.0)), Some(((0.0, 1.0), (2.0, 1.0))));
        assert_eq!(clip(flat, (0.0, 2.0), (2.0, 3.0)), None);
        let steep = Line { intercept: 0.0, slope: 2.0 };
        assert_eq!(clip(steep, (0.0, 10.0), (0.0, 4.0)), Some(((0.0, 0.0), (2.0, 4.0))));
        assert_eq!(clip(Line { intercept: f64::NAN, slope: 1.0 }, (0.0, 1.0), (0.0, 1.0)), None);
    }

    #[test]
    fn area_grows_with_weight() {
        assert_eq!(radius(Some(4.0), 4.0), MAX_RADIUS);
        assert_eq!(radius(Some(1.0), 4.0), MAX_RADIUS / 2.0);
        assert_eq!(radius(Some(0.0), 4.0), MIN_RADIUS);
        assert_eq!(radius(None, 4.0), RADIUS);
        assert_eq!(radius(Some(0.0), 0.0), RADIUS);
    }

    #[test]
    fn non_finite_points_are_skipped_and_counted() {
        let chart = Scatter {
            points: vec![
                Point { x: 1.0, y: 2.0, ..Point::default() },
                Point { x: f64::NAN, y: 2.0, ..Point::default() },
                Point { x: 1.0, y: f64::INFINITY, ..Point::default() },
                Point { x: 3.0, y: 1.0, weight: Some(-1.0), ..Point::default() },
                Point { x: -3.0, y: -1.0, weight: Some(2.0), ..Point::default() },
            ],
            ..Scatter::default()
        };
        let fig = crate::svg::render(&Chart::Scatter(chart));
        assert_eq!(fig.svg.matches(r#"<circle class="mark""#).count(), 2);
        assert_eq!(fig.notes, ["3 of 5 points not shown (non-finite coordinate or invalid weight)."]);
        assert!(!fig.svg.contains("NaN") && !fig.svg.contains("inf"), "{}", fig.svg);
    }

    #[test]
    fn empty_scatter_shows_a_message_and_no_marks() {
        let fig = crate::svg::render(&Chart::Scatter(Scatter { title: "空".into(), ..Scatter::default() }));
        assert!(fig.svg.contains(r#"data-empty="true""#));
        assert!(fig.svg.contains(NO_DATA));
        assert!(!fig.svg.contains(r#"class="mark""#));
    }

    #[test]
    fn labels_are_escaped() {
        let chart = Scatter {
            title: "<script>alert(1)</script>".into(),
            x_label: "暴露度 & 需求".into(),
            points: vec![Point { x: 0.5, y: 0.5, weight: None, label: "</title><script>x</script>".into() }],
            annotation: Some("r = 0.42***, ρ < 1".into()),
            ..Scatter::default()
        };
        let fig = crate::svg::render(&Chart::Scatter(chart));
        assert!(!fig.svg.contains("<script>"), "{}", fig.svg);
        assert!(fig.svg.contains("&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; (0.5000, 0.5000)"), "{}", fig.svg);
        assert!(fig.svg.contains("暴露度 &amp; 需求"));
        assert!(fig.svg.contains("ρ &lt; 1"));
    }
}
