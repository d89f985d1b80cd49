//! [`Table`]: a plain table of named columns and typed cells, for CSV files
//! and HTML reports.

use std::fmt;
use std::io::Write;

use serde::Serialize;

/// One cell of a [`Table`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text, e.g. a code or a model name.
    Text(String),
    /// A count.
    Int(i64),
    /// A measurement.
    Float(f64),
    /// No value (e.g. an undefined correlation); written as an empty field.
    Empty,
}

impl fmt::Display for Cell {
    /// Floats print in Rust's shortest round-trip form, so CSV files keep full precision.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            Cell::Int(n) => write!(f, "{n}"),
            Cell::Float(x) => write!(f, "{x}"),
            Cell::Empty => Ok(()),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Cell {
    /// A non-finite value becomes [`Cell::Empty`], so no `NaN` reaches a table.
    fn from(x: f64) -> Cell {
        if x.is_finite() { Cell::Float(x) } else { Cell::Empty }
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(x: Option<T>) -> Cell {
        x.map_or(Cell::Empty, Into::into)
    }
}

/// A table: column names and rows of [`Cell`]s, one per column.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Table {
        Table { columns: columns.into_iter().map(Into::into).collect(), rows: Vec::new() }
    }

    /// Appends a row.
    ///
    /// # Panics
    /// If the row's length differs from the number of columns (a bug in the
    /// code building the table, not an input error).
    pub fn push(&mut self, row: Vec<Cell>) {
        assert_eq!(row.len(), self.columns.len(), "row length must match the columns");
        self.rows.push(row);
    }

    /// Writes the table as CSV with a header row.
    pub fn write_csv(&self, out: impl Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::to_string))?;
        }
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_csv_with_empty_cells() {
        let mut t = Table::new(["code", "n", "r"]);
        t.push(vec!["2-02".into(), 3usize.into(), f64::NAN.into()]);
        t.push(vec!["2-03".into(), 4usize.into(), Some(0.25).into()]);
        let mut out = Vec::new();
        t.write_csv(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "code,n,r\n2-02,3,\n2-03,4,0.25\n");
    }
}
