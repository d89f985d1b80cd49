//! The run summary of classified postings written by another engine (a Spark
//! job's `classified/`): the counts `zhiye run` keeps while it classifies,
//! counted again from the columns it writes, so that `zhiye report` can
//! render that output too.

use std::path::Path;
use std::time::Instant;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use zhiye_core::Config;
use zhiye_ingest::{col, column_names, list_parquet, scan_row_groups};

use super::tally::{Tallies, truth_counts};
use super::{
    Fingerprint, GroupCounts, ParseRates, PartitionChanges, RepostSummary, RunSummary, SUMMARY_FILE, publish,
    write_summary,
};
use crate::{PipelineError, Result};
use zhiye_ingest::BATCH_ROWS;

/// What is counted per row group; merged in file order.
#[derive(Default)]
struct Recount {
    rows: u64,
    unclassified: u64,
    reposts: u64,
    ai_mentions: u64,
    with_truth: u64,
    agree: u64,
    tallies: Tallies,
}

impl Recount {
    /// Counts a batch; a column of the wrong type is `Err((column, what it should be))`.
    fn add(&mut self, batch: &RecordBatch) -> std::result::Result<(), (&'static str, &'static str)> {
        // scan_row_groups has checked that every column is there.
        let column = |name: &'static str| batch.column_by_name(name).expect("projected column");
        let codes = column("code").as_string_opt::<i32>().ok_or(("code", "not strings"))?;
        self.rows += batch.num_rows() as u64;
        self.unclassified += codes.null_count() as u64;
        // Signed or unsigned (a Spark job's): only whether a row has an anchor counts.
        let dups = column("dup_of");
        self.reposts += (dups.len() - dups.null_count()) as u64;
        let ai = column("ai_mention").as_boolean_opt().ok_or(("ai_mention", "not booleans"))?;
        self.ai_mentions += ai.true_count() as u64;
        let (with_truth, agree) = truth_counts(batch, codes);
        self.with_truth += with_truth;
        self.agree += agree;
        self.tallies.add(batch);
        Ok(())
    }

    fn merge(mut self, other: Recount) -> Recount {
        self.rows += other.rows;
        self.unclassified += other.unclassified;
        self.reposts += other.reposts;
        self.ai_mentions += other.ai_mentions;
        self.with_truth += other.with_truth;
        self.agree += other.agree;
        self.tallies.merge(other.tallies);
        self
    }
}

/// Counts the classified postings under `classified` into a run summary and
/// writes it to `out/run_summary.json`. The parse rates need the raw fields,
/// which the classified postings do not keep: they are taken from
/// `parse_rates` (a Spark job computes them with the wheel) or left empty. The
/// summary's corpus is `classified`; partitions, row groups and timings other
/// than this count's are zero.
pub fn summarize_classified(
    config: &Config,
    classified: &Path,
    out: &Path,
    parse_rates: Option<ParseRates>,
) -> Result<RunSummary> {
    let start = Instant::now();
    let files = list_parquet(classified)?;
    let Some(first) = files.first() else {
        return Err(PipelineError::Input {
            path: classified.into(),
            row: 0,
            field: String::new(),
            message: "no Parquet files of classified postings".into(),
        });
    };
    let mut columns = vec!["code", "level", "method", "rule", "score", "dup_of", "ai_mention"];
    if column_names(first)?.iter().any(|c| c == col::TRUE_CODE) {
        columns.push(col::TRUE_CODE);
    }
    let groups = scan_row_groups(&files, &columns, BATCH_ROWS, |g, batches| {
        let mut r = Recount::default();
        for b in &batches {
            r.add(b).map_err(|(column, message)| zhiye_ingest::IngestError::Schema {
                path: g.path.clone(),
                column: column.into(),
                message: message.into(),
            })?;
        }
        Ok(r)
    })?;
    let r = groups.into_iter().fold(Recount::default(), Recount::merge);
    let mut rates = parse_rates.unwrap_or_default();
    rates.ai_mentions = r.ai_mentions;
    let summary = RunSummary {
        run_id: publish::utc_stamp(),
        binary: format!("zhiye {}", env!("CARGO_PKG_VERSION")),
        fingerprint: Fingerprint::of(config)?,
        corpus: classified.into(),
        recounted: true,
        generated: None,
        generate_seconds: 0.0,
        input_files: files.len(),
        skipped_files: Vec::new(),
        partitions: PartitionChanges::default(),
        row_groups: GroupCounts::default(),
        stale_lock: None,
        rows_in: r.rows,
        classified: r.rows - r.unclassified,
        unclassified: r.unclassified,
        reposts: config.dedup.enabled.then(|| RepostSummary {
            rows: r.rows,
            keyed: None,
            duplicates: r.reposts,
            rate: r.reposts as f64 / r.rows.max(1) as f64,
        }),
        true_code_agreement: (r.with_truth > 0).then(|| r.agree as f64 / r.with_truth as f64),
        methods: r.tallies.methods,
        levels: r.tallies.levels,
        rules_applied: r.tallies.rules,
        parse_rates: rates,
        confidence_histogram: r.tallies.confidence.to_vec(),
        scan_seconds: start.elapsed().as_secs_f64(),
        dedup_seconds: 0.0,
        classify_seconds: 0.0,
        aggregate_seconds: 0.0,
        study_seconds: 0.0,
        total_seconds: start.elapsed().as_secs_f64(),
        outputs: vec![SUMMARY_FILE.into()],
    };
    std::fs::create_dir_all(out).map_err(PipelineError::write(out))?;
    write_summary(out, &summary)?;
    Ok(summary)
}
