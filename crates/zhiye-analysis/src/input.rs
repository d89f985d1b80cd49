//! Shared reading of CSV inputs: header lookup, 1-based rows and field errors
//! that name the file, row and column.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use zhiye_core::{Level, OcdCode};

use crate::{Error, Result};

/// A CSV file with a header, read row by row.
pub(crate) struct CsvInput<'r> {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read + 'r>>,
    headers: Vec<String>,
}

impl<'r> CsvInput<'r> {
    /// Opens a UTF-8 CSV file with a header row.
    pub(crate) fn open(path: &Path) -> Result<CsvInput<'r>> {
        let file = File::open(path).map_err(|source| Error::Io { path: path.into(), source })?;
        CsvInput::from_reader(Box::new(file), path)
    }

    /// Reads CSV text; `path` is used in error messages only.
    pub(crate) fn from_reader(reader: Box<dyn Read + 'r>, path: &Path) -> Result<CsvInput<'r>> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
        let headers = reader
            .headers()
            .map_err(|source| Error::Csv { path: path.into(), row: 0, source })?
            .iter()
            // Spreadsheet exports often start with a byte-order mark.
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        Ok(CsvInput { path: path.into(), reader, headers })
    }

    /// The file, as named in error messages.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The index of a required column.
    pub(crate) fn column(&self, name: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::MissingColumn { path: self.path.clone(), column: name.into() })
    }

    /// The index of an optional column.
    pub(crate) fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Calls `each` on every data row, numbered from 1.
    pub(crate) fn for_each_row(mut self, mut each: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        let mut record = csv::StringRecord::new();
        let mut row = 0u64;
        loop {
            row += 1;
            let more = self.reader.read_record(&mut record).map_err(|source| Error::Csv {
                path: self.path.clone(),
                row,
                source,
            })?;
            if !more {
                return Ok(());
            }
            each(&Row { path: &self.path, row, record: &record, headers: &self.headers })?;
        }
    }
}

/// One data row of a [`CsvInput`].
pub(crate) struct Row<'a> {
    pub(crate) path: &'a Path,
    pub(crate) row: u64,
    record: &'a csv::StringRecord,
    headers: &'a [String],
}

impl Row<'_> {
    /// The trimmed text of column `i`.
    pub(crate) fn text(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("").trim()
    }

    /// An error about column `i` of this row.
    pub(crate) fn error(&self, i: usize, message: impl Into<String>) -> Error {
        field_error(self.path, self.row, &self.headers[i], message)
    }

    /// Column `i` as a non-empty string.
    pub(crate) fn required(&self, i: usize) -> Result<&str> {
        let s = self.text(i);
        if s.is_empty() { Err(self.error(i, "empty value")) } else { Ok(s) }
    }

    /// Column `i` as a finite number.
    pub(crate) fn number(&self, i: usize) -> Result<f64> {
        let s = self.text(i);
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(self.error(i, format!("{s:?} is not a finite number"))),
        }
    }

    /// Column `i` as a finite number ≥ 0.
    pub(crate) fn non_negative(&self, i: usize) -> Result<f64> {
        let x = self.number(i)?;
        if x < 0.0 { Err(self.error(i, format!("{x} is negative"))) } else { Ok(x) }
    }

    /// Column `i` as an OCD code whose level is its number of parts, see [`code_by_depth`].
    pub(crate) fn code(&self, i: usize) -> Result<OcdCode> {
        code_by_depth(self.text(i)).map_err(|m| self.error(i, m))
    }
}

/// An error about one field of one row of a file.
pub(crate) fn field_error(path: &Path, row: u64, field: &str, message: impl Into<String>) -> Error {
    Error::Field { path: path.into(), row, field: field.into(), message: message.into() }
}

/// Parses a code whose level is its number of parts: `2` large, `2-02`
/// medium, `2-02-10` small, `2-02-10-01` fine. A four-part code ending in
/// `-00` (e.g. `2-03-01-00`) is an undivided small class used as an
/// occupation and is returned as that small class, as
/// [`zhiye_core::Taxonomy::occupations`] holds it.
pub(crate) fn code_by_depth(s: &str) -> std::result::Result<OcdCode, String> {
    let bad = || format!("{s:?} is not an OCD code such as 2-02, 2-02-10 or 2-02-10-01");
    let s = s.trim();
    let depth = s.split('-').count();
    // The core parser also takes the packed 2020704 form, which has no depth.
    if depth == 1 && s.len() != 1 {
        return Err(bad());
    }
    let parsed: OcdCode = s.parse().map_err(|_| bad())?;
    if depth == 4 {
        return if parsed.level() >= Level::Small { Ok(parsed) } else { Err(bad()) };
    }
    Level::from_depth(depth).and_then(|level| OcdCode::new(parsed.parts(), level)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_take_their_level_from_depth() {
        let level = |s: &str| code_by_depth(s).map(|c| (c.level(), c.short()));
        assert_eq!(level("2-02"), Ok((Level::Medium, "2-02".into())));
        assert_eq!(level("2-02-10"), Ok((Level::Small, "2-02-10".into())));
        assert_eq!(level("1-01-00"), Ok((Level::Small, "1-01-00".into())));
        assert_eq!(level("8-00-00"), Ok((Level::Small, "8-00-00".into())));
        assert_eq!(level("2-02-10-01"), Ok((Level::Fine, "2-02-10-01".into())));
        assert_eq!(level("2-03-01-00"), Ok((Level::Small, "2-03-01".into())));
        assert_eq!(level("2"), Ok((Level::Large, "2".into())));
        for bad in ["2020704", "2-02-00-00", "2-2", "", "x-02"] {
            assert!(code_by_depth(bad).is_err(), "{bad}");
        }
    }
}
