//! Parquet input with its own column names: the columns the mapping reads
//! are projected and cast to text (dates print as `YYYY-MM-DD`).

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::ImportError;
use super::table::{Next, Row, Table};
use crate::BATCH_ROWS;
use crate::IngestError;

/// A Parquet file as a table.
pub(crate) struct ParquetTable {
    path: PathBuf,
    builder: Option<ParquetRecordBatchReaderBuilder<File>>,
    reader: Option<ParquetRecordBatchReader>,
    columns: Vec<String>,
    /// The selected columns (ascending) and, per batch, their text arrays.
    needed: Vec<usize>,
    texts: Vec<ArrayRef>,
    batch_len: usize,
    at: usize,
    rows: u64,
}

impl ParquetTable {
    pub(crate) fn open(path: &Path) -> Result<ParquetTable, ImportError> {
        let file = File::open(path).map_err(ImportError::io(path))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|source| IngestError::Parquet { path: path.into(), source })?;
        let columns = builder.schema().fields().iter().map(|f| f.name().trim().to_owned()).collect();
        Ok(ParquetTable {
            path: path.into(),
            builder: Some(builder),
            reader: None,
            columns,
            needed: Vec::new(),
            texts: Vec::new(),
            batch_len: 0,
            at: 0,
            rows: 0,
        })
    }

    fn start(&mut self) -> Result<(), ImportError> {
        if let Some(builder) = self.builder.take() {
            let mask = ProjectionMask::roots(builder.parquet_schema(), self.needed.iter().copied());
            let reader = builder
                .with_projection(mask)
                .with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|source| IngestError::Parquet { path: self.path.clone(), source })?;
            self.reader = Some(reader);
        }
        Ok(())
    }

    /// Loads the next batch; false at the end.
    fn load(&mut self) -> Result<bool, ImportError> {
        let Some(reader) = self.reader.as_mut() else { return Ok(false) };
        let batch: RecordBatch = match reader.next() {
            None => return Ok(false),
            Some(b) => b.map_err(|source| ImportError::Arrow { path: self.path.clone(), source })?,
        };
        self.texts.clear();
        for column in batch.columns() {
            let text = arrow_cast::cast(column, &DataType::Utf8)
                .map_err(|source| ImportError::Arrow { path: self.path.clone(), source })?;
            self.texts.push(text);
        }
        (self.batch_len, self.at) = (batch.num_rows(), 0);
        Ok(true)
    }
}

impl Table for ParquetTable {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn select(&mut self, needed: &[usize]) -> Result<(), ImportError> {
        self.needed = needed.to_vec();
        self.needed.sort_unstable();
        self.needed.dedup();
        self.start()
    }

    fn next_row(&mut self, row: &mut Row) -> Result<Next, ImportError> {
        self.start()?;
        while self.at >= self.batch_len {
            if !self.load()? {
                return Ok(Next::End);
            }
        }
        row.clear();
        self.rows += 1;
        row.number = self.rows;
        let mut selected = self.needed.iter().zip(&self.texts).peekable();
        for i in 0..self.columns.len() {
            match selected.next_if(|&(&c, _)| c == i) {
                Some((_, text)) => {
                    let text = text.as_string::<i32>();
                    row.push(if text.is_null(self.at) { "" } else { text.value(self.at) });
                }
                None => row.push(""),
            }
        }
        self.at += 1;
        Ok(Next::Row)
    }

    /// The selected cells only: the others were never read.
    fn raw(&self, row: &Row) -> String {
        let mut r = Row::default();
        for &i in &self.needed {
            r.push(row.get(i).unwrap_or(""));
        }
        r.to_csv_line()
    }
}
