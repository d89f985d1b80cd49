//! The real taxonomy, for the unit tests that need it.

use std::path::{Path, PathBuf};

/// The real taxonomy's folder, when `make setup` has fetched it. CI always
/// has it: a missing one fails there rather than let the test skip.
pub(crate) fn real_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/ocd2022");
    let found = dir.join("csco22.csv").exists();
    assert!(found || std::env::var_os("CI").is_none(), "{} is missing: CI runs make setup", dir.display());
    found.then_some(dir)
}
