//! What every reader hands the importer: a table of text cells, one reused
//! [`Row`] buffer at a time.

use super::ImportError;

/// One row's cells, stored back to back in one string so that reading a row
/// allocates nothing once the buffers have grown.
#[derive(Debug, Default)]
pub(crate) struct Row {
    text: String,
    ends: Vec<usize>,
    /// 1-based position as a viewer shows it: the spreadsheet row, the CSV
    /// record counting the header, the JSONL line, the Parquet row.
    pub(crate) number: u64,
}

impl Row {
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Appends a cell.
    pub(crate) fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    /// Appends a cell written by `f` straight into the buffer.
    pub(crate) fn push_with(&mut self, f: impl FnOnce(&mut String)) {
        f(&mut self.text);
        self.ends.push(self.text.len());
    }

    /// Cell `i`, if the row has it.
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    /// Number of cells.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether every cell is empty or white space.
    pub(crate) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    pub(crate) fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The cells as one CSV line (the quarantine's raw text).
    pub(crate) fn to_csv_line(&self) -> String {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(self.cells());
        let mut bytes = w.into_inner().unwrap_or_default();
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// What [`Table::next_row`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// A row, in the buffer.
    Row,
    /// A row the importer must quarantine for this reason (a ragged CSV
    /// record, a JSONL line that is not an object); its text is in the buffer.
    Bad(String),
    /// No more rows.
    End,
}

/// One table of an input: a CSV, JSONL or Parquet file, or a workbook sheet.
pub(crate) trait Table {
    /// Column names, trimmed (`""` for an unnamed column); empty without a
    /// header. The header row, if any, has been consumed.
    fn columns(&self) -> &[String];

    /// Only these columns will be read (a Parquet projection); the others
    /// may be left empty. Called once, before the first row.
    fn select(&mut self, _needed: &[usize]) -> Result<(), ImportError> {
        Ok(())
    }

    /// Reads the next row into `row`.
    fn next_row(&mut self, row: &mut Row) -> Result<Next, ImportError>;

    /// The raw text of the row in `row`, for the quarantine.
    fn raw(&self, row: &Row) -> String {
        row.to_csv_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_buffer() {
        let mut r = Row::default();
        r.push("a,b");
        r.push("");
        r.push_with(|s| s.push_str("x\"y"));
        assert_eq!((r.len(), r.get(0), r.get(1), r.get(2), r.get(3)), (3, Some("a,b"), Some(""), Some("x\"y"), None));
        assert_eq!(r.to_csv_line(), "\"a,b\",,\"x\"\"y\"");
        assert!(!r.is_blank());
        r.clear();
        r.push(" ");
        r.push("");
        assert!(r.is_blank());
    }
}
