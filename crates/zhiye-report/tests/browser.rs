//! The real check: written pages opened in headless Chromium.
//!
//! These tests fail (they do not skip) when no browser is installed; run
//! `scripts/install_chromium.sh` first (`make test` does).

mod common;

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use zhiye_report::{Chart, Error, Page, Report, Scatter, browser};

/// Where screenshots are kept: `$CARGO_TARGET_DIR/report-screenshots`, or a
/// folder in the temporary directory.
fn screenshot_path(name: &str) -> PathBuf {
    let dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(target) => PathBuf::from(target).join("report-screenshots"),
        None => std::env::temp_dir().join("zhiye-report-screenshots"),
    };
    dir.join(name)
}

/// Both pages of the sample report: four charts (every kind, Chinese labels)
/// on the first, none (only a truncated table) on the second.
#[test]
fn every_chart_renders_in_headless_chromium() {
    let report = common::report();
    let dir = tempfile::tempdir().unwrap();
    let pages = zhiye_report::write(&report, dir.path()).unwrap();

    for (i, page) in pages.iter().enumerate() {
        let shot = screenshot_path(&format!("report-{}.png", i + 1));
        let started = Instant::now();
        let status = browser::check(page, &shot).unwrap_or_else(|e| panic!("{e}"));
        println!("{} in {:.1?}: {status:?}; screenshot {}", page.display(), started.elapsed(), shot.display());
        let expected = common::chart_count(&report, i);
        assert_eq!(status.charts_total, expected, "{status:?}");
        assert_eq!(status.charts_ok, expected, "{status:?}");
        assert!(status.failed.is_empty() && status.all_ok(), "{status:?}");
    }
}

#[test]
fn broken_hidden_and_empty_charts_are_reported_as_failed() {
    // One good chart, one without data, one hidden by CSS and one hand-made
    // SVG that draws a frame but no data marks.
    let mut report = common::report();
    report.pages.truncate(1);
    report.pages[0].sections.truncate(1);
    let charts = &mut report.pages[0].sections[0].charts;
    charts.clear();
    charts.push(Chart::Scatter(common::scatter()));
    charts.push(Chart::Scatter(Scatter { title: "空散点图".into(), ..Scatter::default() }));
    charts.push(Chart::Histogram(common::histogram()));
    let dir = tempfile::tempdir().unwrap();
    let page = zhiye_report::write(&report, dir.path()).unwrap().remove(0);

    let html = fs::read_to_string(&page).unwrap();
    let html = html
        .replacen("</style>", "svg.chart[data-kind=\"histogram\"] { display: none; }\n</style>", 1)
        .replacen(
            "<main>",
            "<main>\n<svg class=\"chart\" data-kind=\"bars\" viewBox=\"0 0 100 50\" width=\"100\" height=\"50\">\
             <title>broken</title><rect x=\"0\" y=\"0\" width=\"100\" height=\"50\" fill=\"none\" stroke=\"black\"/></svg>",
            1,
        );
    fs::write(&page, html).unwrap();

    let status = browser::check(&page, &screenshot_path("broken.png")).unwrap_or_else(|e| panic!("{e}"));
    println!("{status:?}");
    assert_eq!((status.charts_ok, status.charts_total), (1, 4), "{status:?}");
    assert!(!status.all_ok());
    let expected = [
        "#1 bars “broken”: no data marks",
        "#3 scatter “空散点图”: no data (empty chart)",
        "#4 histogram “职业暴露度分布”: not displayed",
    ];
    assert_eq!(status.failed, expected);
}

#[test]
fn a_page_without_the_check_script_is_an_error() {
    let report = Report { pages: vec![Page { title: "x".into(), ..Page::default() }], ..Report::default() };
    let dir = tempfile::tempdir().unwrap();
    let page = zhiye_report::write(&report, dir.path()).unwrap().remove(0);
    let html = fs::read_to_string(&page).unwrap();
    let start = html.find("<script>").unwrap();
    let end = html.find("</script>").unwrap() + "</script>".len();
    fs::write(&page, format!("{}{}", &html[..start], &html[end..])).unwrap();

    let err = browser::check(&page, &screenshot_path("no-script.png")).unwrap_err();
    assert!(matches!(err, Error::NoChartStatus { .. }), "{err}");
}
