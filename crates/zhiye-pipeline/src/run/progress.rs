//! [`Progress`]: how a run reports its advance to whoever shows it (a
//! progress bar on a terminal; nothing otherwise: the logs say it).

/// Receives a run's stages and the postings done in the current one.
pub trait Progress: Sync {
    /// A stage begins; `total` postings (0: unknown).
    fn stage(&self, name: &str, total: u64);
    /// `n` more postings of the current stage are done.
    fn advance(&self, n: u64);
}

/// Reports nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}
