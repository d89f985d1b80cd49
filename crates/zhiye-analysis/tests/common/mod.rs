//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use zhiye_analysis::exposure::{ExposureOptions, ExposureScores, LabelSet};
use zhiye_core::{OcdCode, Taxonomy};

/// The OCD 2022 taxonomy, loaded once.
pub fn taxonomy() -> &'static Taxonomy {
    static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
    TAXONOMY.get_or_init(|| {
        Taxonomy::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv"))
            .expect("taxonomy loads")
    })
}

/// A file of `config/exposure/`.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/exposure").join(name)
}

/// Parses a code.
pub fn code(s: &str) -> OcdCode {
    s.parse().expect("valid code")
}

/// Labels from CSV text named `labels.csv`.
pub fn labels(csv: &'static str) -> zhiye_analysis::Result<LabelSet> {
    LabelSet::from_csv_reader(csv.as_bytes(), Path::new("labels.csv"), taxonomy())
}

/// Scores of the example label file with the default options.
pub fn example_scores() -> ExposureScores {
    let labels = LabelSet::read(example("labels.example.csv"), taxonomy()).expect("example labels");
    ExposureScores::compute(&labels, &ExposureOptions::default())
}

/// Asserts two floats agree to 1e-12.
#[track_caller]
pub fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
}
