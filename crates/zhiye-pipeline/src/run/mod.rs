//! `zhiye run`: classify a corpus of posting partitions, flag reposts,
//! aggregate, publish the tables as a new version.
//!
//! Two passes over the corpus, each streaming row groups in parallel with
//! memory bounded by a batch per thread: the repost pass reads employer,
//! title, city and date (24 bytes kept per posting for the sweep), the main
//! pass classifies, counts and writes the classified postings. The main pass
//! is incremental: each row group's result is kept under a key of everything
//! it depends on ([`manifest`], `groups`), so a run classifies only new or
//! changed partitions. Outputs are built in a staging folder and published by
//! renames ([`publish`]); one run at a time holds the output folder's
//! [`RunLock`].

mod classify_stage;
mod groups;
mod inputs;
mod lock;
pub mod manifest;
pub mod pool;
mod progress;
pub mod publish;
mod reconcile;
mod recount;
mod repost_file;
mod reposts;
mod tally;

pub use groups::GroupCounts;
pub use inputs::SkippedFile;
pub use lock::{LOCK_FILE, RunLock};
pub use manifest::{Fingerprint, Manifest, Partition};
pub use progress::{Progress, Silent};
pub use publish::{Layout, Version, published};
pub use recount::summarize_classified;
pub use zhiye_postings::{ParseRate, ParseRates};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Date32Array, RecordBatch, StringArray};
use serde::{Deserialize, Serialize};
use zhiye_agg::OccupationYear;
use zhiye_core::{Config, OcdCode, Taxonomy};
use zhiye_ingest::{col, list_parquet};
use zhiye_postings::DedupStats;
use zhiye_synth::{GeneratorOptions, generate_to_dir};
use zhiye_text::{Classifier, ClassifierOptions};

use crate::{PipelineError, Result};
use classify_stage::ClassifyStage;
use repost_file::RepostFile;

use zhiye_ingest::BATCH_ROWS;

/// The corpus-wide row number of a file's row: file index (in path order) in
/// the high 24 bits, row within the file in the low 40.
pub(crate) fn global_row(file: usize, row: u64) -> u64 {
    ((file as u64) << 40) | row
}

/// A string column of a batch, or an error naming the file and column.
pub(crate) fn string_column<'b>(batch: &'b RecordBatch, name: &str, path: &Path) -> Result<&'b StringArray> {
    batch.column_by_name(name).and_then(|a| a.as_string_opt::<i32>()).ok_or_else(|| PipelineError::Input {
        path: path.into(),
        row: 0,
        field: name.into(),
        message: "missing or not a string column".into(),
    })
}

/// The `posted_at` (Date32) column of a batch, or an error naming the file.
pub(crate) fn date_column<'b>(batch: &'b RecordBatch, path: &Path) -> Result<&'b Date32Array> {
    batch.column_by_name(col::POSTED_AT).and_then(|a| a.as_primitive_opt::<Date32Type>()).ok_or_else(|| {
        PipelineError::Input {
            path: path.into(),
            row: 0,
            field: col::POSTED_AT.into(),
            message: "missing or not a date32 column".into(),
        }
    })
}

/// What a run did.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunSummary {
    /// The run's id: the UTC time it started, and the name of its version.
    pub run_id: String,
    /// The binary that ran.
    pub binary: String,
    /// What classification depended on (binary, taxonomy, rules, options).
    pub fingerprint: Fingerprint,
    /// The corpus folder (the classified postings' folder when `recounted`).
    pub corpus: PathBuf,
    /// Counted from classified postings another engine wrote (a Spark job's),
    /// not by a run: no partitions, row groups or stage timings.
    #[serde(default)]
    pub recounted: bool,
    /// Postings generated first, when the corpus was absent.
    pub generated: Option<u64>,
    /// Seconds spent generating.
    pub generate_seconds: f64,
    /// Input Parquet files read.
    pub input_files: usize,
    /// Input files left out as unreadable (`[input] on_bad_file = "skip"`), with their reasons.
    #[serde(default)]
    pub skipped_files: Vec<SkippedFile>,
    /// How the partitions changed since the last run.
    pub partitions: PartitionChanges,
    /// Row groups reused, reassembled or classified: a run without new data classifies none.
    pub row_groups: GroupCounts,
    /// The lock file's content when this run took it over from a run that died.
    pub stale_lock: Option<String>,
    /// Rows read.
    pub rows_in: u64,
    /// Rows given an occupation.
    pub classified: u64,
    /// Rows with no evidence for any occupation (counted under a null code).
    pub unclassified: u64,
    /// Reposts flagged (`dup_of`), counted once in vacancies; `None` when de-duplication is off.
    pub reposts: Option<RepostSummary>,
    /// Rows whose `true_code` (if the corpus has one) equals the predicted code.
    pub true_code_agreement: Option<f64>,
    /// Rows by classification method (rule, exact, alias, bm25, fallback, unclassified).
    pub methods: BTreeMap<String, u64>,
    /// Rows by trusted level (hierarchical fallback).
    pub levels: BTreeMap<String, u64>,
    /// Rows per rule of the rules file that was applied.
    pub rules_applied: BTreeMap<String, u64>,
    /// Parse rates of the posting fields, and AI-skill mentions.
    pub parse_rates: ParseRates,
    /// Rows by classification confidence, in 20 bins of 0.05.
    pub confidence_histogram: Vec<u64>,
    /// Seconds listing and hashing the partitions.
    pub scan_seconds: f64,
    /// Seconds of the repost pass.
    pub dedup_seconds: f64,
    /// Seconds spent reading, classifying, counting and writing classified rows.
    pub classify_seconds: f64,
    /// Seconds of the aggregation queries and writing the tables.
    pub aggregate_seconds: f64,
    /// Seconds of the exposure study and the report.
    pub study_seconds: f64,
    /// Seconds of the whole run up to the publish (sync and renames are not counted).
    pub total_seconds: f64,
    /// Files and folders written, relative to the version folder.
    pub outputs: Vec<PathBuf>,
}

/// The repost pass in the summary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RepostSummary {
    /// Postings seen.
    pub rows: u64,
    /// Postings with an employer and a title (the others are never reposts);
    /// unknown in a summary counted from classified postings.
    #[serde(default)]
    pub keyed: Option<u64>,
    /// Postings flagged as reposts.
    pub duplicates: u64,
    /// `duplicates / rows`.
    pub rate: f64,
}

impl From<DedupStats> for RepostSummary {
    fn from(s: DedupStats) -> Self {
        RepostSummary { rows: s.rows, keyed: Some(s.keyed), duplicates: s.duplicates, rate: s.duplicate_rate() }
    }
}

/// Runs the pipeline described by `config`, reporting to nobody.
pub fn run(config: &Config) -> Result<RunSummary> {
    run_with(config, &Silent)
}

/// Runs the pipeline described by `config`: takes the output folder's lock,
/// classifies the partitions that are new or changed since the last run,
/// aggregates, and publishes a new version (see [`publish`]).
pub fn run_with(config: &Config, progress: &dyn Progress) -> Result<RunSummary> {
    let started = Instant::now();
    let layout = Layout::new(&config.output.dir);
    let lock = RunLock::acquire(&layout.root)?;
    if let Some(held) = &lock.stale {
        tracing::warn!(lock = %RunLock::path(&layout.root).display(), previous = %held, "took over the lock of a run that died");
    }
    let id = layout.new_id();
    tracing::info!(run = %id, output = %layout.root.display(), "run started");
    // Whatever a killed run left half-built is discarded.
    remove_dir_if_exists(&layout.staging)?;
    let staged = layout.staging.join(&id);
    let classified_dir = staged.join("classified");
    std::fs::create_dir_all(&classified_dir).map_err(PipelineError::write(&classified_dir))?;

    let (taxonomy, classifier) = build_classifier(config)?;
    let corpus = corpus_files(config, &taxonomy, progress)?;
    let scan = scan_partitions(config, &layout, corpus.files)?;
    let (reposts, repost_stats, dedup_seconds) = find_reposts(config, &layout, &scan.files, progress)?;

    let start = Instant::now();
    let Scan { files, skipped_files, previous, fingerprint, mut partitions, changes, seconds: scan_seconds } = scan;
    let dir = &config.corpus.dir;
    let tasks = groups::plan(dir, &files, &mut partitions, &previous, &fingerprint.digest(), &reposts, &layout.groups)?;
    let stage = ClassifyStage::new(&classifier, &files, &reposts, &config.aggregate)?;
    progress.stage("classify", tasks.iter().map(|t| t.group.rows).sum());
    let threads = config.classify.threads;
    let (totals, row_groups) =
        pool::on_pool(threads, || groups::execute(&stage, &tasks, &layout.groups, &classified_dir, progress))??;
    let classify_seconds = start.elapsed().as_secs_f64();
    tracing::info!(
        reused = row_groups.reused,
        reassembled = row_groups.reassembled,
        classified = row_groups.classified,
        rows_classified = row_groups.rows_classified,
        seconds = classify_seconds,
        "row groups done"
    );
    // The classifier's tables and the reposts are not needed any more: free them before the queries.
    let codes = classifier.codes().to_vec();
    drop(stage);
    drop(reposts);
    drop(classifier);
    let manifest = Manifest { format: manifest::FORMAT, fingerprint, partitions };
    // The results the manifest names exist: a run killed from here on reuses them all.
    manifest.save(&layout.state)?;

    progress.stage("aggregate", 0);
    let (outputs, aggregate_seconds) = aggregate_and_reconcile(config, &taxonomy, &staged, &totals, &codes)?;
    let rows_in = totals.counts.total_postings();
    let unclassified = totals.counts.unclassified_postings();
    // The ledger: the files' own row counts against the rows counted.
    let in_files: u64 = manifest.partitions.iter().map(|p| p.rows).sum();
    if in_files != rows_in || totals.written != rows_in {
        return Err(PipelineError::Ledger { in_files, counted: rows_in, written: totals.written });
    }
    let mut summary = RunSummary {
        run_id: id.clone(),
        binary: format!("zhiye {}", env!("CARGO_PKG_VERSION")),
        fingerprint: manifest.fingerprint.clone(),
        corpus: dir.clone(),
        recounted: false,
        generated: corpus.generated,
        generate_seconds: corpus.seconds,
        input_files: files.len(),
        skipped_files,
        partitions: changes,
        row_groups,
        stale_lock: lock.stale.clone(),
        rows_in,
        classified: rows_in - unclassified,
        unclassified,
        reposts: repost_stats.map(RepostSummary::from),
        true_code_agreement: (totals.with_truth > 0).then(|| totals.agree as f64 / totals.with_truth as f64),
        methods: totals.tallies.methods,
        levels: totals.tallies.levels,
        rules_applied: totals.tallies.rules,
        parse_rates: totals.rates,
        confidence_histogram: totals.tallies.confidence.to_vec(),
        scan_seconds,
        dedup_seconds,
        classify_seconds,
        aggregate_seconds,
        study_seconds: 0.0,
        total_seconds: 0.0,
        outputs,
    };
    study_and_report(config, &taxonomy, &staged, &mut summary, progress)?;

    // The summary is part of the version, so its timings stop before the publish.
    summary.total_seconds = started.elapsed().as_secs_f64();
    write_summary(&staged, &summary)?;
    let version = layout.publish(&id, config.output.keep_versions)?;
    let removed = groups::collect_garbage(&layout.groups, &manifest)?;
    tracing::info!(run = %id, version = %version.display(), garbage_removed = removed, seconds = summary.total_seconds, "published");
    drop(lock);
    Ok(summary)
}

/// The corpus's Parquet files, generated first when there are none and the
/// configuration asks for a synthetic corpus.
struct CorpusFiles {
    files: Vec<PathBuf>,
    /// Postings generated by this run.
    generated: Option<u64>,
    /// Seconds spent generating them.
    seconds: f64,
}

fn corpus_files(config: &Config, taxonomy: &Taxonomy, progress: &dyn Progress) -> Result<CorpusFiles> {
    let corpus = &config.corpus.dir;
    let mut c = CorpusFiles {
        files: if corpus.exists() { list_parquet(corpus)? } else { Vec::new() },
        generated: None,
        seconds: 0.0,
    };
    if c.files.is_empty() && config.corpus.generate_postings > 0 {
        progress.stage("generate", config.corpus.generate_postings);
        let opts = GeneratorOptions::default().postings(config.corpus.generate_postings).seed(config.corpus.seed);
        let g = generate_to_dir(taxonomy, opts, corpus)
            .map_err(|source| PipelineError::Generate { path: corpus.clone(), source })?;
        c.generated = Some(g.rows);
        c.seconds = g.seconds;
        c.files = list_parquet(corpus)?;
    }
    if c.files.is_empty() {
        return Err(PipelineError::Input {
            path: corpus.clone(),
            row: 0,
            field: String::new(),
            message: "no Parquet files (and corpus.generate_postings is 0)".into(),
        });
    }
    Ok(c)
}

/// The readable corpus files and their partitions, against the last run's manifest.
struct Scan {
    files: Vec<PathBuf>,
    skipped_files: Vec<SkippedFile>,
    previous: Manifest,
    fingerprint: Fingerprint,
    partitions: Vec<Partition>,
    changes: PartitionChanges,
    seconds: f64,
}

/// Checks every corpus file (under `[input] on_bad_file`) and hashes the partitions.
fn scan_partitions(config: &Config, layout: &Layout, files: Vec<PathBuf>) -> Result<Scan> {
    let start = Instant::now();
    let (corpus, threads) = (&config.corpus.dir, config.classify.threads);
    let (files, skipped_files) = pool::on_pool(threads, || inputs::check(corpus, files, config.input.on_bad_file))??;
    if files.is_empty() {
        return Err(PipelineError::Input {
            path: corpus.clone(),
            row: 0,
            field: String::new(),
            message: format!("none of its {} Parquet files is readable", skipped_files.len()),
        });
    }
    let previous = Manifest::load(&layout.state)?;
    let fingerprint = Fingerprint::of(config)?;
    let partitions = pool::on_pool(threads, || manifest::scan(corpus, &files, &previous))??;
    let changes = PartitionChanges::between(&previous, &partitions, &fingerprint);
    tracing::info!(
        total = partitions.len(),
        new = changes.new,
        changed = changes.changed,
        removed = changes.removed,
        fingerprint_changed = changes.fingerprint_changed,
        "partitions scanned"
    );
    Ok(Scan {
        files,
        skipped_files,
        previous,
        fingerprint,
        partitions,
        changes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The reposts of the whole corpus (none when de-duplication is off), with their statistics and seconds.
fn find_reposts(
    config: &Config,
    layout: &Layout,
    files: &[PathBuf],
    progress: &dyn Progress,
) -> Result<(RepostFile, Option<DedupStats>, f64)> {
    let start = Instant::now();
    if !config.dedup.enabled {
        return Ok((RepostFile::empty(), None, 0.0));
    }
    progress.stage("reposts", 0);
    let budget = config.dedup.memory_mb.saturating_mul(1 << 20);
    let spill = layout.state.join("reposts");
    let (pairs, stats) = pool::on_pool(config.classify.threads, || {
        reposts::find_reposts(files, config.dedup.window_days, budget, &spill)
    })??;
    Ok((pairs, Some(stats), start.elapsed().as_secs_f64()))
}

/// The published tables of the classified postings under `staged`, checked
/// against the counts of the main pass; returns the files written and the seconds.
fn aggregate_and_reconcile(
    config: &Config,
    taxonomy: &Taxonomy,
    staged: &Path,
    totals: &Totals,
    codes: &[OcdCode],
) -> Result<(Vec<PathBuf>, f64)> {
    let start = Instant::now();
    let options = aggregate_options(config)?;
    let tables = zhiye_agg::aggregate(&staged.join("classified"), taxonomy, &options)?;
    // Two independent computations of the counts must agree.
    reconcile::check(&tables, &totals.counts, codes)?;
    let mut outputs = Vec::new();
    for t in &tables {
        outputs.extend(write_table(staged, &t.name, &t.batch)?);
    }
    let seconds = start.elapsed().as_secs_f64();
    tracing::info!(tables = tables.len(), seconds, "aggregated");
    Ok((outputs, seconds))
}

/// The exposure study and the report of a staged version, their files added
/// to the summary's outputs (all relative to the version folder).
fn study_and_report(
    config: &Config,
    taxonomy: &Taxonomy,
    staged: &Path,
    summary: &mut RunSummary,
    progress: &dyn Progress,
) -> Result<()> {
    let start = Instant::now();
    progress.stage("study", 0);
    let study = crate::study::run_study(config, taxonomy, staged)?;
    if let Some(s) = &study {
        summary.outputs.extend(s.outputs.iter().cloned());
    }
    if config.output.report {
        summary.outputs.extend(crate::study::write_report(summary, study.as_ref(), staged, &staged.join("report"))?);
    }
    summary.study_seconds = start.elapsed().as_secs_f64();
    // Paths relative to the version folder: they stay true after the rename.
    for p in &mut summary.outputs {
        if let Ok(rel) = p.strip_prefix(staged) {
            *p = rel.to_path_buf();
        }
    }
    summary.outputs.sort();
    summary.outputs.insert(0, PathBuf::from("classified"));
    summary.outputs.push(PathBuf::from(SUMMARY_FILE));
    Ok(())
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(PipelineError::write(dir)(e)),
    }
}

/// How the corpus's partitions changed since the last completed run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionChanges {
    /// Partitions now.
    pub total: usize,
    /// Not in the last run.
    pub new: usize,
    /// In the last run with other content.
    pub changed: usize,
    /// In the last run with the same content.
    pub unchanged: usize,
    /// In the last run, gone now (their postings leave the results).
    pub removed: usize,
    /// The binary, taxonomy, rules or options changed: everything is classified again.
    pub fingerprint_changed: bool,
}

impl PartitionChanges {
    fn between(previous: &Manifest, now: &[Partition], fingerprint: &Fingerprint) -> PartitionChanges {
        let mut c = PartitionChanges { total: now.len(), ..PartitionChanges::default() };
        for p in now {
            match previous.get(&p.path) {
                None => c.new += 1,
                Some(old) if old.hash != p.hash => c.changed += 1,
                Some(_) => c.unchanged += 1,
            }
        }
        let paths: std::collections::HashSet<&str> = now.iter().map(|p| p.path.as_str()).collect();
        c.removed = previous.partitions.iter().filter(|p| !paths.contains(p.path.as_str())).count();
        c.fingerprint_changed = !previous.partitions.is_empty() && previous.fingerprint != *fingerprint;
        c
    }
}

/// The run summary file of an output folder.
pub const SUMMARY_FILE: &str = "run_summary.json";

/// Writes `out/run_summary.json` atomically.
fn write_summary(out: &Path, summary: &RunSummary) -> Result<PathBuf> {
    let path = out.join(SUMMARY_FILE);
    let json = serde_json::to_vec_pretty(summary).map_err(PipelineError::json(&path))?;
    zhiye_core::fs::write_atomic(&path, &json).map_err(PipelineError::write(&path))?;
    Ok(path)
}

/// Reads `out/run_summary.json`.
pub fn read_summary(out: &Path) -> Result<RunSummary> {
    let path = out.join(SUMMARY_FILE);
    let text = std::fs::read(&path).map_err(|source| PipelineError::NoRun { path: path.clone(), source })?;
    serde_json::from_slice(&text).map_err(PipelineError::json(&path))
}

/// Recomputes the published tables from the classified postings of the last
/// run (`<output.dir>/classified`) without classifying again; returns the files written.
pub fn aggregate_only(config: &Config) -> Result<Vec<PathBuf>> {
    let _lock = RunLock::acquire(&config.output.dir)?;
    let out = &published(&config.output.dir);
    aggregate_into(config, &out.join("classified"), out)
}

/// Computes the published tables from the classified postings under
/// `classified` (any Parquet files with the columns `zhiye run` writes, such
/// as a Spark job's output, whose unsigned columns are signed) and writes them
/// to `out` (created when missing) as `<table>.parquet` and `<table>.csv`.
pub fn aggregate_into(config: &Config, classified: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let taxonomy = Taxonomy::from_path(config.taxonomy.dir.join("csco22.csv"))?;
    let tables = zhiye_agg::aggregate(classified, &taxonomy, &aggregate_options(config)?)?;
    std::fs::create_dir_all(out).map_err(PipelineError::write(out))?;
    let mut outputs = Vec::new();
    for t in &tables {
        outputs.extend(write_table(out, &t.name, &t.batch)?);
    }
    Ok(outputs)
}

/// The aggregation options of the configuration.
pub fn aggregate_options(config: &Config) -> Result<zhiye_agg::AggregateOptions> {
    let a = &config.aggregate;
    let mut dimensions = Vec::new();
    for d in &a.dimensions {
        dimensions.push(zhiye_agg::Dimension::parse(d).ok_or_else(|| PipelineError::Config {
            message: format!("aggregate.dimensions: unknown breakdown {d:?} (expected city, industry or platform)"),
        })?);
    }
    Ok(zhiye_agg::AggregateOptions {
        missing_headcount: a.missing_headcount,
        dimensions,
        threads: config.classify.threads,
    })
}

/// Loads the taxonomy and builds the classifier from the configuration.
pub fn build_classifier(config: &Config) -> Result<(Taxonomy, Classifier)> {
    let c = &config.classify;
    let mut options = ClassifierOptions {
        top_k: c.top_k,
        description_weight: c.description_weight,
        level_threshold: c.level_threshold,
        title_memo: c.title_memo,
        ..ClassifierOptions::default()
    };
    if !c.fusion.as_os_str().is_empty() {
        options.fusion = zhiye_text::Fusion::read(&c.fusion)?;
    }
    let rules = (!c.rules.as_os_str().is_empty()).then_some(c.rules.as_path());
    let (taxonomy, mut classifier) = Classifier::from_dir(&config.taxonomy.dir, rules, options)?;
    if !c.description_model.as_os_str().is_empty() {
        classifier.set_description_model(&zhiye_text::DescriptionModel::read(&c.description_model)?)?;
    }
    Ok((taxonomy, classifier))
}

/// The accumulated results of the main pass; merging is associative and
/// commutative, so the totals do not depend on scheduling. Kept per row group
/// in the state folder (without `outputs`).
#[derive(Serialize, Deserialize)]
pub(crate) struct Totals {
    pub(crate) counts: OccupationYear,
    pub(crate) agree: u64,
    pub(crate) with_truth: u64,
    pub(crate) tallies: tally::Tallies,
    pub(crate) rates: ParseRates,
    #[serde(skip)]
    pub(crate) outputs: Vec<PathBuf>,
    /// Classified rows written.
    pub(crate) written: u64,
}

impl Totals {
    pub(crate) fn new(occupations: usize) -> Totals {
        Totals {
            counts: OccupationYear::new(occupations),
            agree: 0,
            with_truth: 0,
            tallies: tally::Tallies::default(),
            rates: ParseRates::default(),
            outputs: Vec::new(),
            written: 0,
        }
    }

    pub(crate) fn merge(mut self, other: Totals) -> Totals {
        self.counts.merge(&other.counts);
        self.agree += other.agree;
        self.with_truth += other.with_truth;
        self.tallies.merge(other.tallies);
        self.rates.merge(other.rates);
        self.outputs.extend(other.outputs);
        self.written += other.written;
        self
    }
}

/// Writes a table as `NAME.parquet` and `NAME.csv` under `dir`, each atomically.
pub fn write_table(dir: &Path, name: &str, batch: &RecordBatch) -> Result<Vec<PathBuf>> {
    let parquet = dir.join(format!("{name}.parquet"));
    zhiye_ingest::write_parquet(&parquet, batch.schema(), std::slice::from_ref(batch))?;
    let csv = dir.join(format!("{name}.csv"));
    zhiye_core::fs::write_atomic_with(&csv, |w| {
        arrow_csv::WriterBuilder::new().with_header(true).build(w).write(batch).map_err(std::io::Error::other)
    })
    .map_err(PipelineError::write(&csv))?;
    Ok(vec![parquet, csv])
}
