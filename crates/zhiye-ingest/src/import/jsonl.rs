//! JSONL input: one JSON object per line, columns by top-level key.

use std::fmt::Write;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::ImportError;
use super::table::{Next, Row, Table};

/// A JSONL file as a table whose columns are the keys the mapping names.
/// Blank lines are not rows; a line that is not a JSON object is a bad row
/// (quarantined), not a bad file, since lines stand alone. Each line is
/// parsed into a `serde_json` map: the one reader that allocates per row.
pub(crate) struct JsonlTable {
    path: PathBuf,
    reader: BufReader<File>,
    columns: Vec<String>,
    line: String,
    line_no: u64,
}

impl JsonlTable {
    /// Opens `path`; `keys` are the keys the mapping reads.
    pub(crate) fn open(path: &Path, keys: Vec<String>) -> Result<JsonlTable, ImportError> {
        let file = File::open(path).map_err(ImportError::io(path))?;
        Ok(JsonlTable {
            path: path.into(),
            reader: BufReader::new(file),
            columns: keys,
            line: String::new(),
            line_no: 0,
        })
    }
}

impl Table for JsonlTable {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_row(&mut self, row: &mut Row) -> Result<Next, ImportError> {
        loop {
            self.line.clear();
            let n = self.reader.read_line(&mut self.line).map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => ImportError::Encoding {
                    path: self.path.clone(),
                    encoding: "UTF-8",
                    at: format!("line {}", self.line_no + 1),
                    hint: " (JSONL must be UTF-8)",
                },
                _ => ImportError::Io { path: self.path.clone(), source: e },
            })?;
            if n == 0 {
                return Ok(Next::End);
            }
            self.line_no += 1;
            if !self.line.trim().is_empty() {
                break;
            }
        }
        row.clear();
        row.number = self.line_no;
        let text = self.line.trim_start_matches('\u{feff}').trim();
        let object: Map<String, Value> = match serde_json::from_str(text) {
            Ok(o) => o,
            Err(e) => {
                row.push(text);
                return Ok(Next::Bad(format!("not a JSON object: {e}")));
            }
        };
        for key in &self.columns {
            match object.get(key) {
                None | Some(Value::Null) => row.push(""),
                Some(Value::String(s)) => row.push(s),
                // Numbers and booleans as JSON writes them; arrays and
                // objects as JSON text.
                Some(v) => row.push_with(|s| {
                    let _ = write!(s, "{v}");
                }),
            }
        }
        Ok(Next::Row)
    }

    fn raw(&self, _row: &Row) -> String {
        self.line.trim().to_owned()
    }
}
