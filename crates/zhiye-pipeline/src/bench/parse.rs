//! The parse stage: the field parsers of the main pass over in-memory columns.
//!
//! The same work, in the same order, as the main pass's field columns
//! (`run::fields`, private to the run): dates to year and month, salary,
//! experience, education and head-count parsed, the AI-keyword scan of title
//! and description, each into the Arrow column the classified output holds.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int8Builder, Int32Builder, UInt8Builder, UInt32Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use zhiye_agg::date::civil_from_days;
use zhiye_ingest::col;
use zhiye_ingest::fields::{Education, Headcount, parse_education, parse_experience, parse_headcount, parse_salary};
use zhiye_text::KeywordMatcher;

/// The parsed columns of one batch, named as the classified output names them.
pub(crate) fn parse_batch(batch: &RecordBatch, ai: &KeywordMatcher) -> Vec<(Field, ArrayRef)> {
    let n = batch.num_rows();
    let text = |name: &str| batch.column_by_name(name).and_then(|a| a.as_string_opt::<i32>());
    let (title, description) = (text(col::TITLE), text(col::DESCRIPTION));
    let (salary, experience) = (text(col::SALARY_TEXT), text(col::EXPERIENCE_TEXT));
    let (education, headcount) = (text(col::EDUCATION_TEXT), text(col::HEADCOUNT_TEXT));
    let dates = batch.column_by_name(col::POSTED_AT).and_then(|a| a.as_primitive_opt::<Date32Type>());

    let mut year = Int32Builder::with_capacity(n);
    let mut month = Int32Builder::with_capacity(n);
    let mut heads = UInt32Builder::with_capacity(n);
    let mut wage = Float64Builder::with_capacity(n);
    let mut salary_min = Float64Builder::with_capacity(n);
    let mut salary_max = Float64Builder::with_capacity(n);
    let mut exp_min = UInt8Builder::with_capacity(n);
    let mut edu = Int8Builder::with_capacity(n);
    let mut ai_mention = BooleanBuilder::with_capacity(n);
    for i in 0..n {
        let date = dates.filter(|d| !d.is_null(i)).map(|d| civil_from_days(d.value(i)));
        year.append_option(date.map(|d| d.0));
        month.append_option(date.map(|d| d.1 as i32));
        let s = parse_salary(value(salary, i)).ok();
        wage.append_option(s.map(|s| f64::from(s.midpoint())));
        salary_min.append_option(s.and_then(|s| s.min).map(f64::from));
        salary_max.append_option(s.and_then(|s| s.max).map(f64::from));
        exp_min.append_option(parse_experience(value(experience, i)).ok().map(|e| e.min));
        edu.append_option(parse_education(value(education, i)).ok().map(ordinal));
        heads.append_option(match parse_headcount(value(headcount, i)) {
            Headcount::Count(c) => Some(c),
            _ => None,
        });
        ai_mention.append_value(ai.is_match(value(title, i)) || ai.is_match(value(description, i)));
    }
    let f = |name: &str, t: DataType| Field::new(name, t, true);
    vec![
        (f("year", DataType::Int32), Arc::new(year.finish()) as ArrayRef),
        (f("month", DataType::Int32), Arc::new(month.finish())),
        (f("headcount", DataType::UInt32), Arc::new(heads.finish())),
        (f("wage", DataType::Float64), Arc::new(wage.finish())),
        (f("salary_min", DataType::Float64), Arc::new(salary_min.finish())),
        (f("salary_max", DataType::Float64), Arc::new(salary_max.finish())),
        (f("exp_min", DataType::UInt8), Arc::new(exp_min.finish())),
        (f("education", DataType::Int8), Arc::new(edu.finish())),
        (Field::new("ai_mention", DataType::Boolean, false), Arc::new(ai_mention.finish())),
    ]
}

fn value(a: Option<&StringArray>, i: usize) -> &str {
    match a {
        Some(a) if !a.is_null(i) => a.value(i),
        _ => "",
    }
}

/// 0 不限 … 6 博士.
fn ordinal(e: Education) -> i8 {
    Education::ALL.iter().position(|&x| x == e).unwrap_or(0) as i8
}
