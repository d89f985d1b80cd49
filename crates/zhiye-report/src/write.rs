//! Rendering a report to pages and writing them to a folder.

use std::fs;
use std::path::{Path, PathBuf};

use crate::html;
use crate::model::Report;
use crate::{Error, Result};

/// One rendered page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedPage {
    /// `index.html` for the first page, `<slug>.html` for the others.
    pub file_name: String,
    /// The complete HTML document.
    pub html: String,
}

/// Renders every page of `report` in memory, after [`Report::validate`].
///
/// The output depends on the model alone: the same report gives the same
/// bytes.
pub fn render(report: &Report) -> Result<Vec<RenderedPage>> {
    report.validate()?;
    Ok(report
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| RenderedPage { file_name: html::file_name(page, i), html: html::page(report, i) })
        .collect())
}

/// Renders `report` and writes its pages into `dir` (created if missing),
/// returning the paths written, first page (`index.html`) first.
///
/// Every page is rendered before anything is written, and each file is
/// replaced atomically (written to a temporary file in `dir`, then renamed),
/// so a reader never sees a half-written page.
pub fn write(report: &Report, dir: &Path) -> Result<Vec<PathBuf>> {
    let pages = render(report)?;
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    pages
        .iter()
        .map(|page| {
            let path = dir.join(&page.file_name);
            zhiye_core::fs::write_atomic(&path, page.html.as_bytes()).map_err(|e| Error::io(&path, e))?;
            Ok(path)
        })
        .collect()
}
