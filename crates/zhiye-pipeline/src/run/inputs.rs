//! The corpus files a run reads, checked before anything is classified: a file
//! whose footer does not parse (corrupt, truncated, empty), that lacks a
//! required column or has it with another type, or that cannot be opened
//! (gone, no permission) either stops the run (`[input] on_bad_file = "fail"`,
//! exit code 4) or is left out and listed with its reason in the run summary
//! (`"skip"`, exit code 5 once the rest is published).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use zhiye_core::OnBadFile;
use zhiye_postings::REQUIRED_COLUMNS;

use crate::{PipelineError, Result};

/// A corpus file a run left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    /// Relative to the corpus folder, with `/` separators.
    pub path: String,
    /// Why it could not be read, with every cause.
    pub reason: String,
}

/// The readable `files`, and the unreadable ones under `Skip`; under `Fail`
/// the first unreadable file (in path order) is the error.
pub(crate) fn check(corpus: &Path, files: Vec<PathBuf>, policy: OnBadFile) -> Result<(Vec<PathBuf>, Vec<SkippedFile>)> {
    let checked: Vec<_> =
        files.par_iter().map(|f| zhiye_ingest::check_posting_file(f, REQUIRED_COLUMNS).err()).collect();
    let (mut good, mut skipped) = (Vec::with_capacity(files.len()), Vec::new());
    for (path, bad) in files.into_iter().zip(checked) {
        let Some(source) = bad else {
            good.push(path);
            continue;
        };
        match policy {
            OnBadFile::Fail => return Err(PipelineError::BadFile { path, source }),
            OnBadFile::Skip => {
                let reason = zhiye_core::causes(&source);
                tracing::warn!(file = %path.display(), reason, "unreadable input file skipped");
                skipped.push(SkippedFile { path: super::manifest::relative(corpus, &path), reason });
            }
        }
    }
    Ok((good, skipped))
}
