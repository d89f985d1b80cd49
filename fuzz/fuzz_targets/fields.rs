//! Every field parser on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhiye_ingest::fields::{parse_date, parse_education, parse_experience, parse_headcount, parse_salary};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = parse_salary(s);
    let _ = parse_experience(s);
    let _ = parse_education(s);
    let _ = parse_headcount(s);
    let _ = parse_date(s, Some(2020));
});
