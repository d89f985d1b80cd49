//! [`FieldColumns`]: the parsed fields of each posting, as the columns of the
//! classified output that the aggregation reads, and [`ParseRates`].

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int8Builder, Int32Builder, UInt8Builder, UInt32Builder};
use arrow_array::{Array, ArrayRef, StringArray};
use arrow_schema::{DataType, Field};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use zhiye_ingest::fields::{
    Education, Headcount, NoValue, parse_education, parse_experience, parse_headcount, parse_salary,
};
use zhiye_text::KeywordMatcher;

/// Non-empty and parsed strings of one field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParseRate {
    /// Postings with a non-empty string.
    pub non_empty: u64,
    /// Of those, strings understood (面议 counts as understood).
    pub parsed: u64,
}

impl ParseRate {
    fn add<T>(&mut self, text: &str, result: &Result<T, NoValue>) {
        if !text.trim().is_empty() {
            self.non_empty += 1;
            self.parsed += u64::from(result.as_ref().map_or_else(|e| e.is_recognised(), |_| true));
        }
    }

    /// `parsed / non_empty`, or 1 when there was nothing to parse.
    pub fn rate(&self) -> f64 {
        if self.non_empty == 0 { 1.0 } else { self.parsed as f64 / self.non_empty as f64 }
    }
}

/// Parse rates by field (`salary`, `experience`, `education`, `headcount`),
/// and postings that mention AI skills.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParseRates {
    /// By field.
    pub fields: BTreeMap<String, ParseRate>,
    /// Postings whose title or description mentions an AI keyword.
    pub ai_mentions: u64,
}

impl ParseRates {
    /// Adds a batch's counts, in [`FIELDS`] order.
    fn add(&mut self, batch: &[ParseRate; 4], ai_mentions: u64) {
        for (name, r) in FIELDS.iter().zip(batch) {
            let mine = self.fields.entry(name.to_string()).or_default();
            mine.non_empty += r.non_empty;
            mine.parsed += r.parsed;
        }
        self.ai_mentions += ai_mentions;
    }

    /// Adds `other`'s counts.
    pub fn merge(&mut self, other: ParseRates) {
        for (k, v) in other.fields {
            let mine = self.fields.entry(k).or_default();
            mine.non_empty += v.non_empty;
            mine.parsed += v.parsed;
        }
        self.ai_mentions += other.ai_mentions;
    }
}

/// A free-text field parsed into columns of the classified output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedField {
    /// `salary_min`, `salary_max` and `wage` (monthly CNY, float64).
    Salary,
    /// `exp_min`: minimum years of experience (uint8).
    Experience,
    /// `education`: ordinal level (int8, 0 不限 … 6 博士).
    Education,
    /// `headcount`: openings stated (uint32; null when missing, 若干 or unparsed).
    Headcount,
}

impl ParsedField {
    /// The output columns the field makes.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ParsedField::Salary => &["salary_min", "salary_max", "wage"],
            ParsedField::Experience => &["exp_min"],
            ParsedField::Education => &["education"],
            ParsedField::Headcount => &["headcount"],
        }
    }
}

/// The columns `field` makes from its text column alone, in the order of
/// [`ParsedField::columns`], with the values the classified output holds
/// (null where the text does not parse).
pub fn parse_field(field: ParsedField, texts: &StringArray) -> Vec<(Field, ArrayRef)> {
    let mut inputs = FieldInputs::default();
    *match field {
        ParsedField::Salary => &mut inputs.salary,
        ParsedField::Experience => &mut inputs.experience,
        ParsedField::Education => &mut inputs.education,
        ParsedField::Headcount => &mut inputs.headcount,
    } = Some(texts);
    let mut columns = FieldColumns::with_capacity(texts.len());
    for i in 0..texts.len() {
        columns.push(&inputs, i, None, None);
    }
    let mut all = columns.finish(&mut ParseRates::default());
    // In the order of `field.columns()`, whatever the order of the output's.
    let mut out = Vec::with_capacity(field.columns().len());
    for name in field.columns() {
        let at = all.iter().position(|(f, _)| f.name() == name).expect("every field column is an output column");
        out.push(all.swap_remove(at));
    }
    out
}

/// The parse counts of `rows` rows of the raw field columns `[salary,
/// experience, education, headcount]` (`None`: the column is absent), exactly
/// as [`crate::PostingCoder::code`] adds them up. For postings coded elsewhere
/// (the Spark job), whose summary needs the counts but not the columns. AI
/// mentions are not counted here: the classified postings carry them.
pub fn parse_rates(fields: [Option<&StringArray>; 4], rows: usize) -> ParseRates {
    let [salary, experience, education, headcount] = fields;
    let inputs = FieldInputs { salary, experience, education, headcount, ..FieldInputs::default() };
    let mut columns = FieldColumns::with_capacity(rows);
    for i in 0..rows {
        columns.push(&inputs, i, None, None);
    }
    let mut rates = ParseRates::default();
    columns.finish(&mut rates);
    rates
}

/// The parsed fields, in the order of [`FieldColumns`]'s counters.
const FIELDS: [&str; 4] = ["salary", "experience", "education", "headcount"];

/// The input string columns a batch's fields come from (absent columns read as null).
#[derive(Default)]
pub(crate) struct FieldInputs<'b> {
    pub(crate) title: Option<&'b StringArray>,
    pub(crate) description: Option<&'b StringArray>,
    pub(crate) salary: Option<&'b StringArray>,
    pub(crate) experience: Option<&'b StringArray>,
    pub(crate) education: Option<&'b StringArray>,
    pub(crate) headcount: Option<&'b StringArray>,
}

fn text(a: Option<&StringArray>, i: usize) -> &str {
    match a {
        Some(a) if !a.is_null(i) => a.value(i),
        _ => "",
    }
}

/// Builders of the parsed columns of one batch.
pub(crate) struct FieldColumns {
    year: Int32Builder,
    month: Int32Builder,
    headcount: UInt32Builder,
    wage: Float64Builder,
    salary_min: Float64Builder,
    salary_max: Float64Builder,
    exp_min: UInt8Builder,
    education: Int8Builder,
    ai_mention: BooleanBuilder,
    /// Parse counts of the batch, in [`FIELDS`] order: kept here so that the
    /// per-row work touches no map.
    rates: [ParseRate; 4],
    ai_mentions: u64,
}

impl FieldColumns {
    pub(crate) fn with_capacity(n: usize) -> FieldColumns {
        FieldColumns {
            year: Int32Builder::with_capacity(n),
            month: Int32Builder::with_capacity(n),
            headcount: UInt32Builder::with_capacity(n),
            wage: Float64Builder::with_capacity(n),
            salary_min: Float64Builder::with_capacity(n),
            salary_max: Float64Builder::with_capacity(n),
            exp_min: UInt8Builder::with_capacity(n),
            education: Int8Builder::with_capacity(n),
            ai_mention: BooleanBuilder::with_capacity(n),
            rates: [ParseRate::default(); 4],
            ai_mentions: 0,
        }
    }

    /// Parses row `i`; without `ai`, no posting mentions AI.
    pub(crate) fn push(&mut self, inputs: &FieldInputs<'_>, i: usize, date: Option<i32>, ai: Option<&KeywordMatcher>) {
        // A day chrono cannot place (beyond ±262,000 years) has no year.
        let day = date.and_then(chrono::NaiveDate::from_epoch_days);
        let (year, month) = day.map_or((None, None), |d| (Some(d.year()), Some(d.month() as i32)));
        self.year.append_option(year);
        self.month.append_option(month);

        let s = text(inputs.salary, i);
        let salary = parse_salary(s);
        self.rates[0].add(s, &salary);
        let salary = salary.ok();
        self.wage.append_option(salary.map(|s| f64::from(s.midpoint())));
        self.salary_min.append_option(salary.and_then(|s| s.min).map(f64::from));
        self.salary_max.append_option(salary.and_then(|s| s.max).map(f64::from));

        let e = text(inputs.experience, i);
        let experience = parse_experience(e);
        self.rates[1].add(e, &experience);
        self.exp_min.append_option(experience.ok().map(|e| e.min));

        let d = text(inputs.education, i);
        let education = parse_education(d);
        self.rates[2].add(d, &education);
        self.education.append_option(education.ok().map(Education::ordinal));

        let h = text(inputs.headcount, i);
        let headcount = match parse_headcount(h) {
            Headcount::Count(n) => Ok(n),
            Headcount::Unspecified => Err(NoValue::Negotiable),
            Headcount::Missing => Err(NoValue::Missing),
            Headcount::Unparsed => Err(NoValue::Invalid("no head-count")),
        };
        self.rates[3].add(h, &headcount);
        self.headcount.append_option(headcount.ok());

        let mention =
            ai.is_some_and(|ai| ai.is_match(text(inputs.title, i)) || ai.is_match(text(inputs.description, i)));
        self.ai_mentions += u64::from(mention);
        self.ai_mention.append_value(mention);
    }

    /// The columns, named as the aggregation (zhiye-agg's `CLASSIFIED_COLUMNS`) expects; the
    /// batch's parse counts go to `rates`.
    pub(crate) fn finish(mut self, rates: &mut ParseRates) -> Vec<(Field, ArrayRef)> {
        rates.add(&self.rates, self.ai_mentions);
        let f = |name: &str, t: DataType| Field::new(name, t, true);
        vec![
            (f("year", DataType::Int32), Arc::new(self.year.finish()) as ArrayRef),
            (f("month", DataType::Int32), Arc::new(self.month.finish())),
            (f("headcount", DataType::UInt32), Arc::new(self.headcount.finish())),
            (f("wage", DataType::Float64), Arc::new(self.wage.finish())),
            (f("salary_min", DataType::Float64), Arc::new(self.salary_min.finish())),
            (f("salary_max", DataType::Float64), Arc::new(self.salary_max.finish())),
            (f("exp_min", DataType::UInt8), Arc::new(self.exp_min.finish())),
            (f("education", DataType::Int8), Arc::new(self.education.finish())),
            (Field::new("ai_mention", DataType::Boolean, false), Arc::new(self.ai_mention.finish())),
        ]
    }
}
