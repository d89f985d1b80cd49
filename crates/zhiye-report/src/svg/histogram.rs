//! Histograms of pre-computed bins: one rectangle per non-empty bin over a
//! numeric axis, counts on the vertical axis.

use super::{Canvas, FONT, Figure, LABEL_FONT, NO_DATA, Plot, TITLE_BAND, WIDTH, skipped_note, tick_label_width};
use crate::model::{Bin, Histogram};
use crate::scale::{Linear, Ticks, group_thousands, number};

/// Height of a histogram, px.
const HEIGHT: f64 = 400.0;
/// Gap between neighbouring bins, px (dropped for bins narrower than 3 px).
const GAP: f64 = 1.0;

/// Renders a histogram.
pub(super) fn render(chart: &Histogram) -> Figure {
    let bins: Vec<&Bin> = chart.bins.iter().filter(|b| b.lo.is_finite() && b.hi.is_finite() && b.lo < b.hi).collect();
    let mut notes: Vec<String> =
        skipped_note(chart.bins.len() - bins.len(), chart.bins.len(), "bins", "non-finite or empty interval")
            .into_iter()
            .collect();
    let lo = bins.iter().map(|b| b.lo).fold(f64::INFINITY, f64::min);
    let hi = bins.iter().map(|b| b.hi).fold(f64::NEG_INFINITY, f64::max);
    let max_count = bins.iter().map(|b| b.count).max().unwrap_or(0);
    let xt = Ticks::cover(lo, hi, 8);
    let yt = Ticks::cover_counts(0.0, max_count as f64, 5);
    let y_label_x = 16.0;
    let plot = Plot {
        left: y_label_x + LABEL_FONT + tick_label_width(&yt) + 12.0,
        top: TITLE_BAND,
        right: WIDTH - 20.0,
        bottom: HEIGHT - (FONT + LABEL_FONT + 30.0),
    };
    let empty = max_count == 0;
    let mut c = Canvas::open("histogram", WIDTH, HEIGHT, &chart.title, empty);
    if empty {
        if !bins.is_empty() {
            notes.push("Every bin is empty.".to_owned());
        }
        c.empty_state(plot, NO_DATA);
        return Figure { svg: c.finish(), notes };
    }
    let sx = Linear::from_ticks(&xt, (plot.left, plot.right));
    let sy = Linear::from_ticks(&yt, (plot.bottom, plot.top));
    c.x_axis(plot, &xt, &sx, &chart.x_label);
    c.y_axis(plot, &yt, &sy, &chart.y_label, y_label_x);
    let decimals = (xt.decimals + 1).min(12);
    c.out.push_str(r#"<g class="bins">"#);
    for bin in bins.iter().filter(|b| b.count > 0) {
        let (x0, x1) = (sx.map(bin.lo), sx.map(bin.hi));
        let gap = if x1 - x0 >= 3.0 * GAP { GAP } else { 0.0 };
        let y = sy.map(bin.count as f64);
        let tooltip = format!(
            "[{}, {}): {}",
            number(bin.lo, decimals),
            number(bin.hi, decimals),
            group_thousands(&bin.count.to_string())
        );
        c.rect("mark", x0 + gap / 2.0, y, x1 - x0 - gap, plot.bottom - y, Some(&tooltip));
    }
    c.out.push_str("</g>");
    Figure { svg: c.finish(), notes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Chart;

    fn hist(bins: Vec<Bin>) -> Figure {
        crate::svg::render(&Chart::Histogram(Histogram { title: "分布".into(), bins, ..Histogram::default() }))
    }

    #[test]
    fn draws_non_empty_bins() {
        let fig = hist(vec![
            Bin { lo: -0.5, hi: 0.0, count: 3 },
            Bin { lo: 0.0, hi: 0.5, count: 0 },
            Bin { lo: 0.5, hi: 1.0, count: 7 },
            Bin { lo: 1.0, hi: f64::NAN, count: 7 },
            Bin { lo: 2.0, hi: 2.0, count: 1 },
        ]);
        assert_eq!(fig.svg.matches(r#"<rect class="mark""#).count(), 2, "{}", fig.svg);
        assert!(fig.svg.contains("[-0.50, 0.00): 3"), "{}", fig.svg);
        assert_eq!(fig.notes, ["2 of 5 bins not shown (non-finite or empty interval)."]);
    }

    #[test]
    fn all_empty_bins_render_the_empty_state() {
        let fig = hist(vec![Bin { lo: 0.0, hi: 1.0, count: 0 }]);
        assert!(fig.svg.contains(r#"data-empty="true""#) && !fig.svg.contains(r#"class="mark""#));
        assert_eq!(fig.notes, ["Every bin is empty."]);
        let fig = hist(Vec::new());
        assert!(fig.svg.contains(NO_DATA) && fig.notes.is_empty());
    }
}
