//! The parse stage: the main pass's own field parsing
//! ([`PostingCoder::parse_fields`]) over in-memory columns: dates to year and
//! month, salary, experience, education and head-count parsed, the AI-keyword
//! scan of title and description, each into the Arrow column the classified
//! output holds.

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::Field;
use zhiye_postings::{ParseRates, PostingCoder};
use zhiye_text::Result;

/// The parsed columns of one batch, named as the classified output names them.
pub(crate) fn parse_batch(batch: &RecordBatch, coder: &PostingCoder) -> Result<Vec<(Field, ArrayRef)>> {
    coder.parse_fields(batch, &mut ParseRates::default())
}
