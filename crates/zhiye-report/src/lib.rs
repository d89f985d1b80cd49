//! Static, offline HTML reports with inline SVG charts.
//!
//! The caller fills a [`Report`] — [`Page`]s of [`Section`]s holding text,
//! [`Chart`]s ([`Scatter`], [`Bars`], [`Histogram`]) and [`Table`]s — and
//! [`write()`] turns it into one HTML file per page: the first page is
//! `index.html`, the others `<slug>.html`, all linked by a navigation bar.
//! The crate knows nothing about what the numbers mean.
//!
//! Every page is self-contained: UTF-8, one embedded style sheet, charts as
//! inline `<svg class="chart" data-kind="…">`, no external resources. All text
//! is escaped, numbers are printed with fixed decimals, and the same model
//! always gives byte-identical files.
//!
//! # Render check
//!
//! A small script at the end of each page checks, once the page has loaded,
//! that every `svg.chart` is laid out, has a non-zero bounding box and draws
//! at least one data mark; it records `data-charts-rendered="<ok>/<total>"`
//! and `data-charts-failed` (a JSON list of reasons) on `<body>`.
//! [`browser::check`] loads a written page in headless Chromium, reads that
//! status and takes a screenshot.
//!
//! A chart without data (no finite points, bars or non-empty bins) still
//! renders a frame with a "No data to plot" message, but it is counted as
//! **failed** (`no data (empty chart)`): axes alone are not a rendered chart,
//! and an empty chart in a research report usually means an upstream
//! problem. Skipped non-finite values are counted in the figure caption.
//!
//! # Example
//!
//! ```
//! use zhiye_report::{Bar, Bars, Cell, Page, Report, Section, Table};
//!
//! let report = Report {
//!     title: "职业与大模型暴露度".into(),
//!     pages: vec![Page {
//!         slug: "overview".into(),
//!         title: "概览".into(),
//!         sections: vec![Section {
//!             title: "Demand by group".into(),
//!             charts: vec![
//!                 Bars {
//!                     title: "Postings per group".into(),
//!                     value_label: "postings".into(),
//!                     bars: vec![
//!                         Bar { label: "专业技术人员".into(), value: 1520.0, note: None },
//!                         Bar { label: "社会生产服务和生活服务人员".into(), value: 980.0, note: None },
//!                     ],
//!                     ..Bars::default()
//!                 }
//!                 .into(),
//!             ],
//!             tables: vec![Table {
//!                 columns: vec!["group".into(), "postings".into()],
//!                 rows: vec![vec!["专业技术人员".into(), Cell::Int(1520)]],
//!                 ..Table::default()
//!             }],
//!             ..Section::default()
//!         }],
//!         ..Page::default()
//!     }],
//!     ..Report::default()
//! };
//!
//! let dir = std::env::temp_dir().join(format!("zhiye-report-doc-{}", std::process::id()));
//! let written = zhiye_report::write(&report, &dir)?;
//! assert_eq!(written, [dir.join("index.html")]);
//! let html = std::fs::read_to_string(&written[0])?;
//! assert!(html.contains(r#"<svg class="chart" data-kind="bars""#));
//! assert!(html.contains("社会生产服务和生活服务人员"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod browser;
mod error;
mod escape;
mod html;
mod model;
mod scale;
mod svg;
mod table;
mod write;

pub use browser::BrowserCheck;
pub use error::{Error, Result};
pub use model::{Bar, Bars, Bin, Cell, Chart, Histogram, Line, Page, Point, Report, Scatter, Section, Table};
pub use scale::number;
pub use write::{RenderedPage, render, write};
