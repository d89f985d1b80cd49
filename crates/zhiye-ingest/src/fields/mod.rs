//! Field parsers for the free-text columns of postings. Each returns a typed
//! value or says why it could not; none panics on any input.

mod headcount;

pub use headcount::{Headcount, parse_headcount};
