//! Workbook input (xlsx, xlsm, xlsb, xls, ods through `calamine`): each sheet
//! is a table whose columns are matched by header name, since the samples'
//! sheets order their columns differently.
//!
//! A sheet is read whole into memory (calamine's range): fine for the
//! exports boards and scrapers produce (thousands to a few 100k rows).

use std::fmt::Write;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, Range, Reader, Sheets, open_workbook_auto};

use super::ImportError;
use super::table::{Next, Row, Table};

/// An open workbook.
pub(crate) struct Workbook {
    sheets: Sheets<BufReader<File>>,
}

impl Workbook {
    pub(crate) fn open(path: &Path) -> Result<Workbook, ImportError> {
        let sheets = open_workbook_auto(path).map_err(|e| ImportError::Workbook {
            path: path.into(),
            sheet: None,
            source: Box::new(e),
        })?;
        Ok(Workbook { sheets })
    }

    /// The sheet names, in workbook order.
    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// One sheet as a table; `header` says whether its first row names the columns.
    pub(crate) fn sheet(&mut self, path: &Path, name: &str, header: bool) -> Result<SheetTable, ImportError> {
        let range = self.sheets.worksheet_range(name).map_err(|e| ImportError::Workbook {
            path: path.into(),
            sheet: Some(name.into()),
            source: Box::new(e),
        })?;
        Ok(SheetTable::new(range, header))
    }
}

/// A sheet's used range, read row by row.
pub(crate) struct SheetTable {
    range: Range<Data>,
    columns: Vec<String>,
    /// Next row index within the range.
    next: usize,
    /// Sheet row (0-based) of the range's first row.
    first_row: u64,
}

impl SheetTable {
    fn new(range: Range<Data>, header: bool) -> SheetTable {
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let mut t = SheetTable { range, columns: Vec::new(), next: 0, first_row };
        if header && let Some(cells) = t.range.rows().next() {
            t.columns = cells
                .iter()
                .map(|c| {
                    let mut s = String::new();
                    write_cell(&mut s, c);
                    s.trim().to_owned()
                })
                .collect();
            t.next = 1;
        }
        t
    }
}

impl Table for SheetTable {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_row(&mut self, row: &mut Row) -> Result<Next, ImportError> {
        // Cells by position: `Rows::nth` would walk from the start every time.
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return Ok(Next::End);
        }
        row.clear();
        row.number = self.first_row + self.next as u64 + 1;
        for c in 0..width {
            match self.range.get((self.next, c)) {
                Some(cell) => row.push_with(|s| write_cell(s, cell)),
                None => row.push(""),
            }
        }
        self.next += 1;
        Ok(Next::Row)
    }
}

/// Writes a cell as text: numbers without a spurious `.0`, dates as
/// `YYYY-MM-DD` (with the time when there is one); error cells (`#N/A`) and
/// empty cells as nothing.
fn write_cell(out: &mut String, cell: &Data) {
    // Writing to a String cannot fail.
    let _ = match cell {
        Data::Empty | Data::Error(_) => Ok(()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Int(i) => write!(out, "{i}"),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(out, "{}", *f as i64),
        Data::Float(f) => write!(out, "{f}"),
        Data::Bool(b) => write!(out, "{b}"),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{m:02}-{day:02}");
            if (h, min, s) != (0, 0, 0) {
                let _ = write!(out, " {h:02}:{min:02}:{s:02}");
            }
            Ok(())
        }
        Data::DateTime(d) => write!(out, "{}", d.as_f64()),
    };
}

#[cfg(test)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    #[test]
    fn cells_as_text() {
        let cases = [
            (Data::Float(10.0), "10"),
            (Data::Float(1.5), "1.5"),
            (Data::Int(-3), "-3"),
            (Data::String(" 本科 ".into()), " 本科 "),
            (Data::Bool(true), "true"),
            (Data::Empty, ""),
            (Data::DateTime(ExcelDateTime::new(43_698.0, ExcelDateTimeType::DateTime, false)), "2019-08-21"),
            (Data::DateTime(ExcelDateTime::new(43_698.5, ExcelDateTimeType::DateTime, false)), "2019-08-21 12:00:00"),
        ];
        for (cell, want) in cases {
            let mut s = String::new();
            write_cell(&mut s, &cell);
            assert_eq!(s, want, "{cell:?}");
        }
    }
}
