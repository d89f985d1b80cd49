//! Bar charts: horizontal rows with the labels on the left (the default, as
//! long Chinese labels fit there) or vertical columns with the labels below.

use super::{Canvas, FONT, Figure, LABEL_FONT, NO_DATA, Plot, TITLE_BAND, WIDTH, skipped_note, text, tick_label_width};
use crate::model::{Bar, Bars};
use crate::scale::{Linear, Ticks, number};

/// Height of one row of a horizontal bar chart, px.
const ROW: f64 = 24.0;
/// Thickness of a bar as a share of its row or column.
const FILL: f64 = 0.7;
/// Widest label column of a horizontal chart, as a share of the width.
const MAX_LABEL_SHARE: f64 = 0.4;
/// Height of the plot of a vertical chart, px.
const COLUMN_PLOT: f64 = 320.0;
/// Longest label under a vertical chart's columns, px.
const MAX_COLUMN_LABEL: f64 = 150.0;
/// Angle of slanted column labels, degrees.
const SLANT: f64 = 40.0;

/// Renders a bar chart.
pub(super) fn render(chart: &Bars) -> Figure {
    let bars: Vec<&Bar> = chart.bars.iter().filter(|b| b.value.is_finite()).collect();
    let notes =
        skipped_note(chart.bars.len() - bars.len(), chart.bars.len(), "bars", "non-finite value").into_iter().collect();
    let lo = bars.iter().map(|b| b.value).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let ticks = Ticks::cover(lo, hi, 5);
    let decimals = chart
        .decimals
        .unwrap_or_else(|| if bars.iter().all(|b| b.value.fract() == 0.0) { 0 } else { (ticks.decimals + 1).min(12) });
    let values: Vec<String> = bars.iter().map(|b| value_text(b, decimals)).collect();
    let svg = if chart.horizontal {
        horizontal(chart, &bars, &values, &ticks)
    } else {
        let numbers: Vec<String> = bars.iter().map(|b| number(b.value, decimals)).collect();
        vertical(chart, &bars, &values, &numbers, &ticks)
    };
    Figure { svg, notes }
}

/// The text printed at a bar: its value and note.
fn value_text(bar: &Bar, decimals: usize) -> String {
    match bar.note.as_deref().filter(|n| !n.is_empty()) {
        Some(note) => format!("{} ({note})", number(bar.value, decimals)),
        None => number(bar.value, decimals),
    }
}

/// The tooltip of a bar: full label, value and note.
fn tooltip(bar: &Bar, value: &str) -> String {
    format!("{}: {value}", bar.label)
}

/// One row per bar, labels on the left, value axis at the bottom.
fn horizontal(chart: &Bars, bars: &[&Bar], values: &[String], ticks: &Ticks) -> String {
    let label_w = bars.iter().map(|b| text::width(&b.label, FONT)).fold(0.0, f64::max).min(WIDTH * MAX_LABEL_SHARE);
    let text_w = |negative: bool| {
        bars.iter()
            .zip(values)
            .filter(|(b, _)| (b.value < 0.0) == negative)
            .map(|(_, v)| text::width(v, FONT) + 8.0)
            .fold(0.0, f64::max)
    };
    let rows = bars.len().max(3) as f64;
    let plot = Plot {
        left: 12.0 + label_w + 10.0 + text_w(true),
        top: TITLE_BAND,
        right: WIDTH - 16.0 - text_w(false),
        bottom: TITLE_BAND + rows * ROW,
    };
    let height = plot.bottom + FONT + LABEL_FONT + 30.0;
    let mut c = Canvas::open("bars", WIDTH, height, &chart.title, bars.is_empty());
    if bars.is_empty() {
        c.empty_state(plot, NO_DATA);
        return c.finish();
    }
    let sx = Linear::from_ticks(ticks, (plot.left, plot.right));
    c.x_axis(plot, ticks, &sx, &chart.value_label);
    let zero = sx.map(0.0);
    c.out.push_str(r#"<g class="bars">"#);
    for (i, (bar, value)) in bars.iter().zip(values).enumerate() {
        let top = plot.top + i as f64 * ROW;
        let mid = top + ROW / 2.0;
        let end = sx.map(bar.value);
        let x = plot.left - 10.0 - text_w(true);
        c.fitted_text("bar-label", x, mid + FONT * 0.35, "end", None, &bar.label, FONT, label_w);
        c.rect(
            "mark",
            zero.min(end),
            top + ROW * (1.0 - FILL) / 2.0,
            (end - zero).abs(),
            ROW * FILL,
            Some(&tooltip(bar, value)),
        );
        let (x, anchor) = if bar.value < 0.0 { (end - 4.0, "end") } else { (end + 4.0, "start") };
        c.text("bar-value", x, mid + FONT * 0.35, anchor, value);
    }
    c.out.push_str("</g>");
    c.line("zero", zero, plot.top, zero, plot.bottom);
    c.finish()
}

/// One column per bar, labels underneath (slanted when they do not fit),
/// value axis on the left. Each column is topped by its value and note, or
/// by the value alone when that does not fit, or by nothing.
fn vertical(chart: &Bars, bars: &[&Bar], values: &[String], numbers: &[String], ticks: &Ticks) -> String {
    let y_label_x = 16.0;
    let axis_left = y_label_x + LABEL_FONT + tick_label_width(ticks) + 12.0;
    let n = bars.len().max(1) as f64;
    let widest = bars.iter().map(|b| text::width(&b.label, FONT)).fold(0.0, f64::max);
    let slanted = widest > (WIDTH - 16.0 - axis_left) / n - 4.0;
    let (cos, sin) = (SLANT.to_radians().cos(), SLANT.to_radians().sin());
    let longest = widest.min(MAX_COLUMN_LABEL);
    // A slanted label reaches left of its column: keep the first one inside.
    let left = if slanted {
        let slot = (WIDTH - 16.0 - axis_left) / n;
        axis_left.max(longest * cos - slot / 2.0 + 8.0)
    } else {
        axis_left
    };
    let slot = (WIDTH - 16.0 - left) / n;
    // 10 % spare: the width of a label is only an estimate.
    let label_band = if slanted { longest * 1.1 * sin + FONT * cos + 12.0 } else { FONT + 10.0 };
    let top = TITLE_BAND + FONT + 6.0;
    let plot = Plot { left, top, right: WIDTH - 16.0, bottom: top + COLUMN_PLOT };
    let height = plot.bottom + label_band + 8.0;
    let mut c = Canvas::open("bars", WIDTH, height, &chart.title, bars.is_empty());
    if bars.is_empty() {
        c.empty_state(plot, NO_DATA);
        return c.finish();
    }
    let sy = Linear::from_ticks(ticks, (plot.bottom, plot.top));
    c.y_axis(plot, ticks, &sy, &chart.value_label, y_label_x);
    let zero = sy.map(0.0);
    let fits = |texts: &[String]| texts.iter().map(|v| text::width(v, FONT)).fold(0.0, f64::max) <= slot - 2.0;
    let tops = if fits(values) {
        Some(values)
    } else if fits(numbers) {
        Some(numbers)
    } else {
        None
    };
    c.out.push_str(r#"<g class="bars">"#);
    for (i, (bar, value)) in bars.iter().zip(values).enumerate() {
        let x = plot.left + i as f64 * slot;
        let mid = x + slot / 2.0;
        let end = sy.map(bar.value);
        c.rect(
            "mark",
            x + slot * (1.0 - FILL) / 2.0,
            zero.min(end),
            slot * FILL,
            (end - zero).abs(),
            Some(&tooltip(bar, value)),
        );
        if let Some(tops) = tops {
            let y = if bar.value < 0.0 { end + FONT + 2.0 } else { end - 4.0 };
            c.text("bar-value", mid, y, "middle", &tops[i]);
        }
        let y = plot.bottom + FONT + 4.0;
        if slanted {
            c.fitted_text("bar-label", mid, y, "end", Some(-(SLANT as i32)), &bar.label, FONT, MAX_COLUMN_LABEL);
        } else {
            c.text("bar-label", mid, y, "middle", &bar.label);
        }
    }
    c.out.push_str("</g>");
    c.line("zero", plot.left, zero, plot.right, zero);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Chart;

    fn bars(values: &[f64], horizontal: bool) -> Bars {
        Bars {
            title: "职业".into(),
            value_label: "暴露度".into(),
            bars: values
                .iter()
                .enumerate()
                .map(|(i, &value)| Bar {
                    label: format!("软件和信息技术服务人员 {i}"),
                    value,
                    note: Some(format!("n = {i}")),
                })
                .collect(),
            horizontal,
            decimals: None,
        }
    }

    #[test]
    fn draws_one_mark_per_finite_bar() {
        for horizontal in [true, false] {
            let fig = crate::svg::render(&Chart::Bars(bars(&[0.5, -0.25, f64::NAN, 0.0, 1.0], horizontal)));
            assert_eq!(fig.svg.matches(r#"<rect class="mark""#).count(), 4, "{}", fig.svg);
            assert_eq!(fig.notes, ["1 of 5 bars not shown (non-finite value)."]);
            assert!(fig.svg.contains("-0.25 (n = 1)"), "{}", fig.svg);
            assert!(fig.svg.contains("软件和信息技术服务人员 0"));
        }
    }

    #[test]
    fn whole_numbers_print_without_decimals_and_grouped() {
        let fig = crate::svg::render(&Chart::Bars(bars(&[120.0, 3400.0], true)));
        assert!(fig.svg.contains(">3,400 (n = 1)<"), "{}", fig.svg);
    }

    #[test]
    fn a_shortened_label_keeps_the_full_one_as_its_tooltip() {
        let mut b = bars(&[1.0, 2.0], true);
        let long = "软件和信息技术服务人员".repeat(6);
        b.bars[0].label = long.clone();
        let fig = crate::svg::render(&Chart::Bars(b));
        assert!(fig.svg.contains(&format!("…<title>{long}</title></text>")), "{}", fig.svg);
        // A label that fits has no tooltip of its own.
        assert!(fig.svg.contains("软件和信息技术服务人员 1</text>"), "{}", fig.svg);
    }

    #[test]
    fn empty_bars_have_no_marks() {
        let fig = crate::svg::render(&Chart::Bars(bars(&[], true)));
        assert!(fig.svg.contains(r#"data-empty="true""#) && !fig.svg.contains(r#"class="mark""#));
    }
}
