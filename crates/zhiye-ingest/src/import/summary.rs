//! What an import reports: the ledger per input, sheet and overall, and the
//! parse rates of the free-text fields.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Serialize;

/// Distinct unparsed strings remembered per field, so that a file of garbage
/// cannot exhaust memory.
const MAX_DISTINCT_UNPARSED: usize = 10_000;
/// Unparsed strings listed in a summary, most frequent first.
const TOP_UNPARSED: usize = 10;

/// How many non-empty strings of one field parse.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FieldRate {
    /// Non-empty values in the output.
    pub non_empty: u64,
    /// Of those, the ones that parse to a value or to a recognised outcome
    /// (面议 for pay, 若干 for head-counts).
    pub parsed: u64,
    /// The most frequent strings that do not parse, with their counts.
    pub unparsed: Vec<(String, u64)>,
    #[serde(skip)]
    counts: HashMap<String, u64>,
}

impl FieldRate {
    /// `parsed / non_empty`, or `None` when the field is always empty.
    pub fn rate(&self) -> Option<f64> {
        (self.non_empty > 0).then(|| self.parsed as f64 / self.non_empty as f64)
    }

    /// Counts one non-empty value.
    pub(crate) fn record(&mut self, text: &str, parsed: bool) {
        self.non_empty += 1;
        if parsed {
            self.parsed += 1;
        } else if let Some(n) = self.counts.get_mut(text) {
            *n += 1;
        } else if self.counts.len() < MAX_DISTINCT_UNPARSED {
            self.counts.insert(text.to_owned(), 1);
        }
    }

    /// Fills [`FieldRate::unparsed`] from the counts.
    pub(crate) fn finish(&mut self) {
        let mut all: Vec<(String, u64)> = self.counts.drain().collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(TOP_UNPARSED);
        self.unparsed = all;
    }
}

/// Parse rates of one input's fields.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ParseRates {
    /// `salary_text` through [`crate::fields::parse_salary`].
    pub salary: FieldRate,
    /// `experience_text` through [`crate::fields::parse_experience`].
    pub experience: FieldRate,
    /// `education_text` through [`crate::fields::parse_education`].
    pub education: FieldRate,
    /// `headcount_text` through [`crate::fields::parse_headcount`].
    pub headcount: FieldRate,
    /// The `posted_at` text through the mapping's date format; rows whose
    /// date does not parse are quarantined.
    pub posted_at: FieldRate,
}

impl ParseRates {
    /// The fields with their names, in print order.
    pub fn fields(&self) -> [(&'static str, &FieldRate); 5] {
        [
            ("salary", &self.salary),
            ("experience", &self.experience),
            ("education", &self.education),
            ("headcount", &self.headcount),
            ("posted_at", &self.posted_at),
        ]
    }

    pub(crate) fn finish(&mut self) {
        for f in [&mut self.salary, &mut self.experience, &mut self.education, &mut self.headcount, &mut self.posted_at]
        {
            f.finish();
        }
    }
}

/// The ledger of one table: a CSV/JSONL/Parquet file or a workbook sheet.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TableSummary {
    /// The sheet, for workbooks.
    pub sheet: Option<String>,
    /// Data rows read (header excluded).
    pub rows_in: u64,
    /// Rows written to the canonical file.
    pub rows_out: u64,
    /// Rows written to the quarantine.
    pub quarantined: u64,
    /// Mapped canonical columns none of whose sources this table has (null here).
    pub unmapped: Vec<String>,
}

/// The ledger and parse rates of one input file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InputSummary {
    /// The input file.
    pub path: PathBuf,
    /// How it was read: `csv (GB18030)`, `xlsx`, …
    pub format: String,
    /// The canonical Parquet file written.
    pub output: PathBuf,
    /// Data rows read.
    pub rows_in: u64,
    /// Rows written to `output` (as counted by the Parquet writer).
    pub rows_out: u64,
    /// Rows written to the quarantine.
    pub quarantined: u64,
    /// Per table (one per sheet for workbooks).
    pub tables: Vec<TableSummary>,
    /// Quarantined rows per reason (`empty title`, `blank row` …).
    pub reasons: BTreeMap<String, u64>,
    /// Per canonical column, output rows where `accept` refused every
    /// non-empty candidate (the column is null there).
    pub rejected: BTreeMap<&'static str, u64>,
    /// Parse rates of the free-text fields.
    pub rates: ParseRates,
}

impl InputSummary {
    /// Whether `rows_in = rows_out + quarantined`.
    pub fn balanced(&self) -> bool {
        self.rows_in == self.rows_out + self.quarantined
    }
}

/// An input left out under `--on-error skip`.
#[derive(Clone, Debug, Serialize)]
pub struct SkippedInput {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub error: String,
}

/// The result of [`super::import`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportSummary {
    /// The inputs imported, in order.
    pub inputs: Vec<InputSummary>,
    /// The inputs skipped (only with [`super::OnError::Skip`]).
    pub skipped: Vec<SkippedInput>,
    /// The quarantine file (always written, possibly with no rows).
    pub quarantine: PathBuf,
    /// Rows read from the imported inputs.
    pub rows_in: u64,
    /// Rows written to canonical files.
    pub rows_out: u64,
    /// Rows written to the quarantine.
    pub quarantined: u64,
    /// Wall time.
    pub seconds: f64,
}

impl ImportSummary {
    /// Whether `rows_in = rows_out + quarantined` overall.
    pub fn balanced(&self) -> bool {
        self.rows_in == self.rows_out + self.quarantined
    }
}
