//! Pages: the HTML document around the charts and tables, with one embedded
//! style sheet, the navigation bar and the render-check script. Nothing is
//! loaded from elsewhere.

use std::fmt::Write as _;

use crate::escape::Escaped;
use crate::model::{Page, Report, Section};
use crate::{svg, table};

/// The style sheet embedded in every page.
const STYLE: &str = include_str!("style.css");
/// The render check embedded at the end of every page (see `check.js`).
const CHECK_SCRIPT: &str = include_str!("check.js");

/// The file name of page `index` of a report: `index.html` for the first,
/// `<slug>.html` for the others.
pub(crate) fn file_name(page: &Page, index: usize) -> String {
    if index == 0 { "index.html".to_owned() } else { format!("{}.html", page.slug) }
}

/// The HTML of page `index` of `report` (which must be valid).
pub(crate) fn page(report: &Report, index: usize) -> String {
    let page = &report.pages[index];
    let mut out = String::with_capacity(64 * 1024);
    let lang = if report.lang.is_empty() { "und" } else { &report.lang };
    let title = match (page.title.is_empty(), report.title.is_empty()) {
        (false, false) => format!("{} — {}", page.title, report.title),
        (true, _) => report.title.clone(),
        (false, true) => page.title.clone(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n",
        Escaped(lang),
        Escaped(&title)
    );
    if !report.title.is_empty() {
        let _ = writeln!(out, r#"<p class="report-title">{}</p>"#, Escaped(&report.title));
    }
    if !report.subtitle.is_empty() {
        let _ = writeln!(out, r#"<p class="subtitle">{}</p>"#, Escaped(&report.subtitle));
    }
    nav(&mut out, report, index);
    out.push_str("</header>\n<main>\n");
    let _ = writeln!(out, "<h1>{}</h1>", Escaped(&page.title));
    paragraphs(&mut out, &page.intro);
    for (i, s) in page.sections.iter().enumerate() {
        section(&mut out, s, i + 1);
    }
    out.push_str("</main>\n");
    if !report.generated_note.is_empty() {
        out.push_str("<footer>\n");
        paragraphs(&mut out, &report.generated_note);
        out.push_str("</footer>\n");
    }
    let _ = write!(out, "<script>\n{CHECK_SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// The navigation bar: one link per page, the current one marked.
fn nav(out: &mut String, report: &Report, current: usize) {
    out.push_str("<nav><ul>\n");
    for (i, p) in report.pages.iter().enumerate() {
        let current = if i == current { r#" aria-current="page""# } else { "" };
        let label = if p.title.is_empty() { &p.slug } else { &p.title };
        let _ = writeln!(out, r#"<li><a href="{}"{current}>{}</a></li>"#, Escaped(&file_name(p, i)), Escaped(label));
    }
    out.push_str("</ul></nav>\n");
}

/// One section: heading, text, charts (as figures), tables.
fn section(out: &mut String, section: &Section, number: usize) {
    let _ = writeln!(out, r#"<section id="section-{number}">"#);
    if !section.title.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>", Escaped(&section.title));
    }
    paragraphs(out, &section.text);
    for chart in &section.charts {
        let figure = svg::render(chart);
        out.push_str("<figure>\n");
        out.push_str(&figure.svg);
        out.push('\n');
        if !figure.notes.is_empty() {
            let _ = writeln!(out, "<figcaption>{}</figcaption>", Escaped(&figure.notes.join(" ")));
        }
        out.push_str("</figure>\n");
    }
    for t in &section.tables {
        table::render(out, t);
    }
    out.push_str("</section>\n");
}

/// Plain text as `<p>` elements, one per blank-line-separated paragraph.
fn paragraphs(out: &mut String, text: &str) {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().chain([""]) {
        if line.trim().is_empty() {
            if !lines.is_empty() {
                let _ = writeln!(out, "<p>{}</p>", Escaped(&lines.join("\n")));
                lines.clear();
            }
        } else {
            lines.push(line.trim());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let mut out = String::new();
        paragraphs(&mut out, "第一段\n继续\n\n  \n<b>second</b>\n");
        assert_eq!(out, "<p>第一段\n继续</p>\n<p>&lt;b&gt;second&lt;/b&gt;</p>\n");
        let mut out = String::new();
        paragraphs(&mut out, "  \n");
        assert_eq!(out, "");
    }

    #[test]
    fn embedded_assets_do_not_end_their_elements() {
        assert!(!CHECK_SCRIPT.contains("</"));
        assert!(!STYLE.contains("</"));
        assert!(!STYLE.contains("url(") && !STYLE.contains("@import"));
    }
}
