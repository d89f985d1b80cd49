//! Writing reports: files, determinism, structure and validation.

mod common;

use std::fs;

use zhiye_report::{Cell, Chart, Error, Page, Report, Scatter, Section, Table};

#[test]
fn writes_one_file_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/report");
    let paths = zhiye_report::write(&common::report(), &out).unwrap();
    assert_eq!(paths, [out.join("index.html"), out.join("tables.html")]);
    let names: Vec<String> =
        fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "no temporary files are left: {names:?}");
}

#[test]
fn same_model_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let report = common::report();
    let first: Vec<Vec<u8>> =
        zhiye_report::write(&report, &dir.path().join("a")).unwrap().iter().map(|p| fs::read(p).unwrap()).collect();
    let again: Vec<Vec<u8>> =
        zhiye_report::write(&report, &dir.path().join("b")).unwrap().iter().map(|p| fs::read(p).unwrap()).collect();
    assert_eq!(first, again);
    // Overwriting in place gives the same bytes too.
    let third: Vec<Vec<u8>> =
        zhiye_report::write(&report, &dir.path().join("a")).unwrap().iter().map(|p| fs::read(p).unwrap()).collect();
    assert_eq!(first, third);
}

#[test]
fn pages_are_self_contained_html5() {
    let report = common::report();
    let pages = zhiye_report::render(&report).unwrap();
    let html = &pages[0].html;
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<style>").count(), 1);
    assert_eq!(html.matches("<script>").count(), 1, "only the check script");
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        let hits: Vec<&str> = html.matches(external).collect();
        // The SVG namespace is an identifier, not a resource.
        let allowed = if external == "http://" { html.matches("http://www.w3.org/2000/svg").count() } else { 0 };
        assert_eq!(hits.len(), allowed, "external reference {external:?}");
    }
    assert_eq!(html.matches(r#"<svg class="chart""#).count(), common::chart_count(&report, 0));
    for kind in ["scatter", "bars", "histogram"] {
        assert!(html.contains(&format!(r#"data-kind="{kind}""#)), "{kind}");
    }
    // Navigation: both pages, the current one marked.
    assert!(html.contains(r#"<li><a href="index.html" aria-current="page">概览</a></li>"#));
    assert!(html.contains(r#"<li><a href="tables.html">明细表</a></li>"#));
    assert!(pages[1].html.contains(r#"<li><a href="tables.html" aria-current="page">明细表</a></li>"#));
}

#[test]
fn text_is_escaped_everywhere() {
    let pages = zhiye_report::render(&common::report()).unwrap();
    for page in &pages {
        assert_eq!(page.html.matches("<script").count(), 1, "{}", page.file_name);
        assert!(!page.html.contains("<b>"));
    }
    assert!(pages[0].html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 其他"));
    assert!(pages[0].html.contains("<p>本页展示所有图表类型。</p>\n<p>&lt;b&gt;HTML&lt;/b&gt; 会被转义。</p>"));
}

#[test]
fn skipped_points_are_counted_in_the_caption() {
    let html = &zhiye_report::render(&common::report()).unwrap()[0].html;
    assert!(
        html.contains("<figcaption>2 of 74 points not shown (non-finite coordinate or invalid weight).</figcaption>")
    );
    assert!(!html.contains(">NaN<"));
}

#[test]
fn long_tables_are_truncated_with_a_csv_link() {
    let html = &zhiye_report::render(&common::report()).unwrap()[1].html;
    assert!(html.contains(
        r#"Showing the first 200 of 450 rows. The full table is in <a href="tables/occupations.csv">tables/occupations.csv</a>."#
    ));
}

#[test]
fn empty_scatter_renders_an_empty_state() {
    let report = Report {
        pages: vec![Page {
            sections: vec![Section {
                charts: vec![Chart::Scatter(Scatter { title: "无数据".into(), ..Scatter::default() })],
                ..Section::default()
            }],
            ..Page::default()
        }],
        ..Report::default()
    };
    let html = &zhiye_report::render(&report).unwrap()[0].html;
    assert!(html.contains(r#"data-kind="scatter" data-empty="true""#));
    assert!(html.contains("No data to plot"));
    assert!(!html.contains(r#"class="mark""#), "an empty chart draws no data marks, so the check fails it");
}

#[test]
fn invalid_models_are_rejected_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let page = |slug: &str| Page { slug: slug.into(), title: slug.into(), ..Page::default() };
    let cases = [
        (Report::default(), "at least one page"),
        (Report { pages: vec![page("a"), page("b c")], ..Report::default() }, "must be ASCII"),
        (Report { pages: vec![page("a"), page("Index")], ..Report::default() }, "reserved"),
        (Report { pages: vec![page("a"), page("b"), page("B")], ..Report::default() }, "used twice"),
        (
            Report {
                pages: vec![Page {
                    sections: vec![Section {
                        tables: vec![Table {
                            caption: "t".into(),
                            columns: vec!["a".into(), "b".into()],
                            rows: vec![vec![Cell::Int(1), Cell::Int(2)], vec![Cell::Int(3)]],
                            ..Table::default()
                        }],
                        ..Section::default()
                    }],
                    ..Page::default()
                }],
                ..Report::default()
            },
            "row 2 has 1 cells for 2 columns",
        ),
    ];
    for (report, message) in cases {
        let err = zhiye_report::write(&report, &out).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");
        assert!(err.to_string().contains(message), "{err} lacks {message:?}");
    }
    assert!(!out.exists(), "nothing is written for an invalid report");
}

#[test]
fn write_errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    fs::write(&blocker, "not a folder").unwrap();
    let err = zhiye_report::write(&common::report(), &blocker.join("out")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains(&blocker.join("out").display().to_string()), "{err}");
}
