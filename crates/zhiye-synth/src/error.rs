use zhiye_ingest::IngestError;

/// Errors of the synthetic corpus generator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// An option is out of range; the message names it.
    #[error("invalid generator option: {0}")]
    Options(String),
    /// The taxonomy has no occupation to code postings onto.
    #[error("the taxonomy has no occupations: nothing to code postings onto")]
    NoOccupations,
    /// Writing a Parquet partition failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
}
