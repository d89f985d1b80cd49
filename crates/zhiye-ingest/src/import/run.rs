//! The import driver: inputs → canonical Parquet + quarantine, with the ledger.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::ImportError;
use super::canonical::CanonicalBatch;
use super::csv_file::CsvTable;
use super::extract::{ColumnPlan, Extracted};
use super::jsonl::JsonlTable;
use super::mapping::{Canonical, InputFormat, Mapping, SourceRef};
use super::parquet_file::ParquetTable;
use super::quarantine::{Quarantined, write_quarantine};
use super::summary::{ImportSummary, InputSummary, SkippedInput, TableSummary};
use super::table::{Next, Row, Table};
use super::workbook::Workbook;
use crate::fields::{
    DateFormat, Headcount, parse_date, parse_education, parse_experience, parse_headcount, parse_salary,
};
use crate::{ParquetSink, posting_schema};

/// What to do with an input file that cannot be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnError {
    /// Stop at the first bad file (default). Files imported before it stay
    /// written, with their quarantine rows.
    #[default]
    Fail,
    /// Leave the file out, list it in [`ImportSummary::skipped`], go on.
    Skip,
}

/// Options of [`import`]; every one has a documented default.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    on_error: OnError,
    batch_rows: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { on_error: OnError::Fail, batch_rows: crate::BATCH_ROWS }
    }
}

impl ImportOptions {
    /// What to do with an unreadable or malformed file; default [`OnError::Fail`].
    pub fn on_error(mut self, on_error: OnError) -> Self {
        self.on_error = on_error;
        self
    }

    /// Rows per batch written (memory is about one batch); default 8192.
    pub fn batch_rows(mut self, rows: usize) -> Self {
        self.batch_rows = rows.max(1);
        self
    }
}

/// Sub-folder of the output folder holding one canonical file per input:
/// point `corpus.dir` here (the quarantine beside it is not a posting file).
pub const POSTINGS_DIR: &str = "postings";
/// The quarantine file in the output folder.
pub const QUARANTINE_FILE: &str = "quarantine.parquet";

/// Imports `inputs` (files, or folders whose files with a known extension
/// are taken, recursively, in path order) with `mapping` into `out_dir`:
/// one canonical Parquet file per input under `out_dir/postings/` (named
/// after the input, written atomically) and every row not written there in
/// `out_dir/quarantine.parquet`. Fails if `rows in = rows out + quarantined`
/// does not hold for an input or overall.
pub fn import(
    inputs: &[PathBuf],
    mapping: &Mapping,
    out_dir: &Path,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let start = Instant::now();
    let files = expand(inputs)?;
    let postings = out_dir.join(POSTINGS_DIR);
    std::fs::create_dir_all(&postings).map_err(ImportError::io(&postings))?;
    let mut summary = ImportSummary { quarantine: out_dir.join(QUARANTINE_FILE), ..ImportSummary::default() };
    let mut quarantine = Vec::new();
    let mut names = HashSet::new();
    let mut failure = None;
    for path in &files {
        let output = postings.join(output_name(path, &mut names));
        match import_file(path, mapping, &output, options) {
            Ok((s, q)) => {
                summary.rows_in += s.rows_in;
                summary.rows_out += s.rows_out;
                summary.quarantined += s.quarantined;
                summary.inputs.push(s);
                quarantine.extend(q);
            }
            Err(e @ ImportError::Unbalanced { .. }) => {
                failure = Some(e);
                break;
            }
            Err(e) if options.on_error == OnError::Skip => {
                summary.skipped.push(SkippedInput { path: path.clone(), error: zhiye_core::causes(&e) })
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    // The quarantine of the files imported is written even when a later file
    // fails, so that their ledger holds on disk.
    let written = write_quarantine(&summary.quarantine, &quarantine)?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !summary.balanced() || written != summary.quarantined {
        return Err(ImportError::Unbalanced {
            path: out_dir.into(),
            rows_in: summary.rows_in,
            rows_out: summary.rows_out,
            quarantined: written,
        });
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Files of `inputs`, folders expanded (recursively, hidden entries
/// skipped, in path order) to their files with a known extension.
fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push(input.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut stack = vec![input.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).map_err(ImportError::io(&dir))? {
                let path = entry.map_err(ImportError::io(&dir))?.path();
                if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                    continue;
                } else if path.is_dir() {
                    stack.push(path);
                } else if InputFormat::Auto.resolve(&path).is_ok() {
                    found.push(path);
                }
            }
        }
        if found.is_empty() {
            return Err(ImportError::layout(input, None, "a folder with no CSV, workbook, JSONL or Parquet file"));
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// `stem.parquet`, or `stem-2.parquet` … when two inputs share a stem.
fn output_name(path: &Path, taken: &mut HashSet<String>) -> String {
    let stem = path.file_stem().map_or_else(|| "input".into(), |s| s.to_string_lossy().into_owned());
    let mut name = format!("{stem}.parquet");
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{stem}-{n}.parquet");
    }
    name
}

/// Imports one file; returns its summary and quarantined rows. Nothing of
/// it is left on disk if it fails (the sink is atomic).
fn import_file(
    path: &Path,
    mapping: &Mapping,
    output: &Path,
    options: &ImportOptions,
) -> Result<(InputSummary, Vec<Quarantined>), ImportError> {
    let format = mapping.format.resolve(path)?;
    let mut sink = ParquetSink::create(output, posting_schema())?;
    let mut state = FileState::new(path, mapping, format == InputFormat::Xlsx, options.batch_rows);
    let format_name = match format {
        InputFormat::Csv => {
            let mut t = CsvTable::open(path, mapping)?;
            let detected = t.detected();
            state.table(&mut t, None, &mut sink)?;
            format!("csv ({})", detected.name())
        }
        InputFormat::Xlsx => {
            let mut wb = Workbook::open(path)?;
            let names = wb.sheet_names();
            if let Some(missing) = mapping.sheets.iter().find(|s| !names.contains(s)) {
                let message = format!("no sheet {missing:?}; the workbook has {names:?}");
                return Err(ImportError::layout(path, None, message));
            }
            for name in names.iter().filter(|n| mapping.sheets.is_empty() || mapping.sheets.contains(n)) {
                let mut t = wb.sheet(path, name, mapping.header)?;
                state.table(&mut t, Some(name), &mut sink)?;
            }
            format!("xlsx ({} sheets)", state.summary.tables.len())
        }
        InputFormat::Jsonl => {
            let mut keys: Vec<String> = Vec::new();
            for spec in mapping.columns.values() {
                for s in &spec.from {
                    match s {
                        SourceRef::Name(n) if !keys.contains(n) => keys.push(n.clone()),
                        SourceRef::Name(_) => {}
                        SourceRef::Index(i) => {
                            let message = format!("JSONL columns are keys, not positions: #{i} in the mapping");
                            return Err(ImportError::layout(path, None, message));
                        }
                    }
                }
            }
            state.table(&mut JsonlTable::open(path, keys)?, None, &mut sink)?;
            "jsonl".into()
        }
        InputFormat::Parquet | InputFormat::Auto => {
            state.table(&mut ParquetTable::open(path)?, None, &mut sink)?;
            "parquet".into()
        }
    };
    state.flush(&mut sink)?;
    let mut summary = state.summary;
    summary.format = format_name;
    summary.output = output.into();
    summary.rows_out = sink.finish()? as u64;
    summary.quarantined = state.quarantine.len() as u64;
    summary.rates.finish();
    if !summary.balanced() {
        return Err(ImportError::Unbalanced {
            path: path.into(),
            rows_in: summary.rows_in,
            rows_out: summary.rows_out,
            quarantined: summary.quarantined,
        });
    }
    Ok((summary, state.quarantine))
}

/// Everything one file's import accumulates; the buffers are reused across
/// rows, so a row allocates nothing once they have grown (the quarantine
/// and unparsed-string counts aside).
struct FileState<'m> {
    mapping: &'m Mapping,
    file: String,
    file_stem: String,
    workbook: bool,
    batch_rows: usize,
    batch: CanonicalBatch,
    row: Row,
    values: Vec<String>,
    scratch: String,
    date_format: Option<DateFormat>,
    /// The current row's `posted_at` as Date32 days.
    date: Option<i32>,
    quarantine: Vec<Quarantined>,
    summary: InputSummary,
}

impl<'m> FileState<'m> {
    fn new(path: &Path, mapping: &'m Mapping, workbook: bool, batch_rows: usize) -> Self {
        let date_format = mapping
            .columns
            .get(&Canonical::PostedAt)
            .and_then(|s| s.date_format.as_deref())
            .map(|f| DateFormat::new(f).expect("checked when the mapping was read"));
        FileState {
            mapping,
            file: path.display().to_string(),
            file_stem: path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            workbook,
            batch_rows,
            batch: CanonicalBatch::new(),
            row: Row::default(),
            values: vec![String::new(); Canonical::ALL.len()],
            scratch: String::new(),
            date_format,
            date: None,
            quarantine: Vec::new(),
            summary: InputSummary { path: path.into(), ..InputSummary::default() },
        }
    }

    fn flush(&mut self, sink: &mut ParquetSink) -> Result<(), ImportError> {
        if self.batch.len() > 0 {
            sink.write(&self.batch.finish())?;
        }
        Ok(())
    }

    /// Reads one table to its end.
    fn table(&mut self, table: &mut dyn Table, sheet: Option<&str>, sink: &mut ParquetSink) -> Result<(), ImportError> {
        let mapping = self.mapping;
        let columns = table.columns().to_vec();
        let plans: Vec<ColumnPlan<'m>> =
            mapping.columns.iter().map(|(&c, spec)| ColumnPlan::resolve(c, spec, &columns)).collect();
        let mut ts = TableSummary {
            sheet: sheet.map(str::to_owned),
            unmapped: plans.iter().filter(|p| !p.is_resolved()).map(|p| p.column.name().to_owned()).collect(),
            ..TableSummary::default()
        };
        let title = plans.iter().find(|p| p.column == Canonical::Title).expect("title is required by the mapping");
        if !title.is_resolved() {
            // An empty sheet (or file) has no header and no rows: nothing to map.
            if columns.is_empty() && table.next_row(&mut self.row)? == Next::End {
                self.summary.tables.push(ts);
                return Ok(());
            }
            let from = &mapping.columns[&Canonical::Title].from;
            let wanted: Vec<String> = from.iter().map(ToString::to_string).collect();
            let message = format!("no column for title (looked for {}); the header is {columns:?}", wanted.join(", "));
            return Err(ImportError::layout(&self.file, sheet, message));
        }
        let mut needed: Vec<usize> = plans.iter().flat_map(|p| p.sources().iter().copied()).collect();
        needed.sort_unstable();
        needed.dedup();
        table.select(&needed)?;
        let id = mapping.id_template(self.workbook);
        loop {
            let reason = match table.next_row(&mut self.row)? {
                Next::End => break,
                Next::Bad(reason) => Some((None, reason)),
                Next::Row => self.row_to_values(&plans),
            };
            ts.rows_in += 1;
            if let Some((field, reason)) = reason {
                *self.summary.reasons.entry(reason_key(&reason)).or_default() += 1;
                self.quarantine.push(Quarantined {
                    file: self.file.clone(),
                    sheet: sheet.map(str::to_owned),
                    row: self.row.number,
                    field,
                    reason,
                    raw: table.raw(&self.row),
                });
                ts.quarantined += 1;
                continue;
            }
            let v = &mut self.values;
            if v[Canonical::PostingId.index()].is_empty() {
                let sheet = sheet.unwrap_or("");
                id.render(
                    &mut v[Canonical::PostingId.index()],
                    &mapping.platform,
                    &self.file_stem,
                    sheet,
                    self.row.number,
                );
            }
            if v[Canonical::Platform.index()].is_empty() {
                v[Canonical::Platform.index()].push_str(&mapping.platform);
            }
            self.batch.push(&self.values, self.date);
            self.record_rates();
            ts.rows_out += 1;
            if self.batch.len() >= self.batch_rows {
                self.flush(sink)?;
            }
        }
        self.summary.rows_in += ts.rows_in;
        self.summary.tables.push(ts);
        Ok(())
    }

    /// Fills `values` from the row; returns why the row must be quarantined
    /// instead, if it must.
    fn row_to_values(&mut self, plans: &[ColumnPlan<'_>]) -> Option<(Option<&'static str>, String)> {
        if self.row.is_blank() {
            return Some((None, "blank row".into()));
        }
        for v in &mut self.values {
            v.clear();
        }
        // Columns whose candidates `accept` refused, as bits by column index.
        let mut rejected = 0u32;
        for p in plans {
            let out = &mut self.values[p.column.index()];
            if p.extract(&self.row, self.mapping, out, &mut self.scratch) == Extracted::Rejected {
                rejected |= 1 << p.column.index();
            }
        }
        if self.values[Canonical::Title.index()].is_empty() {
            return Some((Some(Canonical::Title.name()), "empty title".into()));
        }
        self.date = None;
        let text = &self.values[Canonical::PostedAt.index()];
        if !text.is_empty() {
            let parsed = match &self.date_format {
                Some(f) => f.parse(text, self.mapping.year),
                None => parse_date(text, self.mapping.year),
            };
            self.summary.rates.posted_at.record(text, parsed.is_ok());
            match parsed {
                Ok(d) => self.date = Some(d.days_since_epoch()),
                Err(e) => return Some((Some(Canonical::PostedAt.name()), format!("unparsed date {text:?}: {e}"))),
            }
        }
        for c in Canonical::ALL.iter().filter(|c| rejected & (1 << c.index()) != 0) {
            *self.summary.rejected.entry(c.name()).or_default() += 1;
        }
        None
    }

    fn record_rates(&mut self) {
        let v = &self.values;
        let r = &mut self.summary.rates;
        let text = &v[Canonical::SalaryText.index()];
        if !text.is_empty() {
            r.salary.record(text, parse_salary(text).map_or_else(|e| e.is_recognised(), |_| true));
        }
        let text = &v[Canonical::ExperienceText.index()];
        if !text.is_empty() {
            r.experience.record(text, parse_experience(text).is_ok());
        }
        let text = &v[Canonical::EducationText.index()];
        if !text.is_empty() {
            r.education.record(text, parse_education(text).is_ok());
        }
        let text = &v[Canonical::HeadcountText.index()];
        if !text.is_empty() {
            let parsed = matches!(parse_headcount(text), Headcount::Count(_) | Headcount::Unspecified);
            r.headcount.record(text, parsed);
        }
    }
}

/// The reason without the quoted value, to count reasons by kind.
fn reason_key(reason: &str) -> String {
    match reason.find([':', '"']) {
        Some(i) => reason[..i].trim().to_owned(),
        None => reason.to_owned(),
    }
}
