//! Serde helpers for the core types, which do not implement `Serialize`:
//! codes and levels are written as the strings tables use.

use serde::Serializer;
use zhiye_core::{Level, OcdCode};

/// A code as `2-02-07-04`.
pub(crate) fn code<S: Serializer>(code: &OcdCode, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(code)
}

/// A level as `large`, `medium`, `small` or `fine`.
pub(crate) fn level<S: Serializer>(level: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(level.name())
}
