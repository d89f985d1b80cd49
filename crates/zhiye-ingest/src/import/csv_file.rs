//! CSV input: any delimiter, UTF-8 / UTF-8 with BOM / UTF-16 / GB18030
//! (detected, see [`super::decode`]), quoted fields across lines.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::ImportError;
use super::decode::{Detected, Malformed, open_text};
use super::mapping::Mapping;
use super::table::{Next, Row, Table};

/// A CSV file as a table. Records whose field count differs from the
/// header's (or, without a header, from the first record's) come back as
/// [`Next::Bad`]: their columns cannot be trusted.
pub(crate) struct CsvTable {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::StringRecord,
    columns: Vec<String>,
    width: Option<usize>,
    detected: Detected,
    records: u64,
}

impl CsvTable {
    pub(crate) fn open(path: &Path, mapping: &Mapping) -> Result<CsvTable, ImportError> {
        let (text, detected) = open_text(path, mapping.encoding)?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(mapping.delimiter as u8)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut t = CsvTable {
            path: path.into(),
            reader,
            record: csv::StringRecord::new(),
            columns: Vec::new(),
            width: None,
            detected,
            records: 0,
        };
        if mapping.header && t.read()? {
            t.columns = t.record.iter().map(|c| c.trim().to_owned()).collect();
            t.width = Some(t.columns.len());
        }
        Ok(t)
    }

    /// How the text was decoded.
    pub(crate) fn detected(&self) -> Detected {
        self.detected
    }

    fn read(&mut self) -> Result<bool, ImportError> {
        match self.reader.read_record(&mut self.record) {
            Ok(more) => {
                self.records += u64::from(more);
                Ok(more)
            }
            Err(e) => Err(self.error(e)),
        }
    }

    fn error(&self, e: csv::Error) -> ImportError {
        let record = e.position().map_or(self.records + 1, |p| p.record() + 1);
        let path = self.path.clone();
        match e.kind() {
            csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<Malformed>()) {
                Some(m) => ImportError::Encoding {
                    path,
                    encoding: m.encoding,
                    at: format!("byte {} (record {record})", m.offset),
                    hint: "",
                },
                None => match e.into_kind() {
                    csv::ErrorKind::Io(source) => ImportError::Io { path, source },
                    _ => unreachable!("an I/O error"),
                },
            },
            csv::ErrorKind::Utf8 { .. } => ImportError::Encoding {
                path,
                encoding: self.detected.name(),
                at: format!("record {record}"),
                hint: if self.detected == Detected::Utf8 {
                    " (the first MiB was UTF-8; set encoding = \"gb18030\" in the mapping if the file is GBK)"
                } else {
                    ""
                },
            },
            _ => ImportError::Csv { path, record, source: e },
        }
    }
}

impl Table for CsvTable {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_row(&mut self, row: &mut Row) -> Result<Next, ImportError> {
        if !self.read()? {
            return Ok(Next::End);
        }
        row.clear();
        row.number = self.records;
        for cell in &self.record {
            row.push(cell);
        }
        let expected = *self.width.get_or_insert(row.len());
        Ok(if row.len() == expected {
            Next::Row
        } else {
            let of = if self.columns.is_empty() { "first record" } else { "header" };
            Next::Bad(format!("{} fields where the {of} has {expected}", row.len()))
        })
    }
}
