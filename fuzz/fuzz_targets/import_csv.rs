//! The CSV importer (encoding detection, quarantine) on arbitrary bytes.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zhiye_ingest::import::{ImportOptions, Mapping, import};

const MAPPING: &str = "platform = \"fuzz\"\n[columns.title]\nfrom = [0]\n[columns.salary_text]\nfrom = [1]\n";

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump.csv");
    std::fs::write(&input, data).unwrap();
    let mapping = Mapping::from_toml(MAPPING, Path::new("fuzz.toml")).unwrap();
    let _ = import(&[input], &mapping, &dir.path().join("out"), &ImportOptions::default());
});
