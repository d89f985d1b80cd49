//! A generator of SYNTHETIC Chinese job postings with known OCD 2022 codes:
//! the corpus behind zhiye's benchmarks and the sanity tests of its
//! classifier and statistics. No posting describes a real vacancy.
//!
//! - [`GeneratorOptions`] says how many postings, which seed and which
//!   months (default 200 000 postings over 2017-01 to 2022-12, seed 42).
//! - [`Generator`] builds, from a [`zhiye_core::Taxonomy`], the occupation
//!   mix (skewed like real boards: sales, services, IT, manufacturing,
//!   logistics and catering dominate, with a long tail and a drift towards
//!   IT and digital occupations), an employer pool and the month
//!   allocation; [`Generator::month_batches`] yields the postings of a month
//!   as Arrow record batches of the canonical
//!   [`zhiye_ingest::posting_schema`].
//! - [`generate_to_dir`] writes `DIR/month=YYYY-MM/part-0.parquet` for every
//!   month in parallel and returns a [`GenerateSummary`].
//!
//! - [`write_synthetic_labels`] writes SYNTHETIC E0–E3 exposure labels
//!   (occupation × model × run) in the format `zhiye exposure score` reads.
//!
//! Titles come from the dictionary's job-board aliases with the noise boards
//! show; descriptions from its task lists; pay, experience, education and
//! head-count in the formats of 智联招聘, 前程无忧, BOSS直聘, 拉勾, 猎聘 and
//! 58同城; pay depends on occupation, city tier, experience and year. About
//! 5% of postings repost a vacancy on another platform. `true_code` holds the
//! occupation's code. Output depends only on the seed and options, never on
//! the thread count.
//!
//! ```
//! use zhiye_synth::{Generator, GeneratorOptions};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv");
//! let taxonomy = zhiye_core::Taxonomy::from_path(path).expect("taxonomy missing: run `make setup`");
//! let generator = Generator::new(&taxonomy, GeneratorOptions::default().postings(720)).unwrap();
//! assert_eq!(generator.months(), 72);
//! assert_eq!(generator.month_label(0), "2017-01");
//! let total: u64 = (0..generator.months()).map(|m| generator.postings_in_month(m)).sum();
//! assert_eq!(total, 720);
//! let rows: usize = generator.month_batches(71, 4).map(|b| b.num_rows()).sum();
//! assert_eq!(rows as u64, generator.postings_in_month(71));
//! ```

mod board_title;
mod calendar;
mod company;
mod description;
mod error;
mod fields;
mod generator;
mod labels;
mod mix;
mod month;
mod options;
mod phrases;
mod rng;
mod segment;
mod tables;
mod title;

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use zhiye_core::Taxonomy;
use zhiye_ingest::{ParquetSink, posting_schema};

pub use error::SynthError;
pub use generator::Generator;
pub use labels::write_synthetic_labels;
pub use month::MonthBatches;
pub use options::{GeneratorOptions, TitleStyle, YearMonth};

/// What [`generate_to_dir`] wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerateSummary {
    /// Postings written.
    pub rows: u64,
    /// Parquet files written (one per month, empty months included).
    pub files: usize,
    /// Wall-clock seconds, generation and writing.
    pub seconds: f64,
}

/// Generates the corpus into `out/month=YYYY-MM/part-0.parquet`, one file per
/// month, months in parallel on the rayon pool. Each file is written
/// atomically; the bytes depend only on the taxonomy and the options.
pub fn generate_to_dir(
    taxonomy: &Taxonomy,
    options: GeneratorOptions,
    out: &Path,
) -> Result<GenerateSummary, SynthError> {
    let start = Instant::now();
    let generator = Generator::new(taxonomy, options)?;
    let rows = (0..generator.months())
        .into_par_iter()
        .map(|m| write_month(&generator, m, out))
        .collect::<Result<Vec<u64>, SynthError>>()?;
    Ok(GenerateSummary { rows: rows.iter().sum(), files: generator.months(), seconds: start.elapsed().as_secs_f64() })
}

/// Writes one month's partition; returns its rows.
fn write_month(generator: &Generator, m: usize, out: &Path) -> Result<u64, SynthError> {
    let path = out.join(format!("month={}", generator.month_label(m))).join("part-0.parquet");
    let mut sink = ParquetSink::create(path, posting_schema())?;
    for batch in generator.month_batches(m, generator.options().batch_rows) {
        sink.write(&batch)?;
    }
    Ok(sink.finish()? as u64)
}
