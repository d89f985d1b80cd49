//! `zhiye run`: classify a corpus of posting partitions, aggregate, write the
//! tables.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use serde::Serialize;
use zhiye_agg::OccupationYear;
use zhiye_agg::date::civil_from_days;
use zhiye_core::{Config, OcdCode, Taxonomy};
use zhiye_ingest::fields::parse_headcount;
use zhiye_ingest::{ParquetSink, col, column_names, list_parquet, scan_row_groups_with};
use zhiye_synth::{GenerateSummary, GeneratorOptions, generate_to_dir};
use zhiye_text::{Classifier, ClassifierOptions, Scratch, classify_batch};

use crate::{PipelineError, Result};

/// Rows per batch handed to the classifier.
const BATCH_ROWS: usize = 8192;

/// What a run did.
#[derive(Clone, Debug, Serialize)]
pub struct RunSummary {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// Postings generated first, when the corpus was absent.
    pub generated: Option<u64>,
    /// Seconds spent generating.
    pub generate_seconds: f64,
    /// Input Parquet files.
    pub input_files: usize,
    /// Rows read.
    pub rows_in: u64,
    /// Rows given an occupation.
    pub classified: u64,
    /// Rows with no evidence for any occupation (counted under a null code).
    pub unclassified: u64,
    /// Rows whose `true_code` (if the corpus has one) equals the predicted code.
    pub true_code_agreement: Option<f64>,
    /// Rows by classification method (rule, exact, alias, bm25, fallback, unclassified).
    pub methods: BTreeMap<String, u64>,
    /// Rows by trusted level (hierarchical fallback).
    pub levels: BTreeMap<String, u64>,
    /// Rows per rule of the rules file that was applied.
    pub rules_applied: BTreeMap<String, u64>,
    /// Seconds spent reading, classifying, aggregating and writing classified rows.
    pub classify_seconds: f64,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

/// Runs the pipeline described by `config`.
pub fn run(config: &Config) -> Result<RunSummary> {
    let (taxonomy, classifier) = build_classifier(config)?;
    let corpus = &config.corpus.dir;
    let mut files = if corpus.exists() { list_parquet(corpus)? } else { Vec::new() };
    let mut generated = None;
    let mut generate_seconds = 0.0;
    if files.is_empty() && config.corpus.generate_postings > 0 {
        let opts = GeneratorOptions::default().postings(config.corpus.generate_postings).seed(config.corpus.seed);
        let g: GenerateSummary = generate_to_dir(&taxonomy, opts, corpus)
            .map_err(|e| PipelineError::Output { path: corpus.clone(), message: e.to_string() })?;
        generated = Some(g.rows);
        generate_seconds = g.seconds;
        files = list_parquet(corpus)?;
    }
    if files.is_empty() {
        return Err(PipelineError::Input {
            path: corpus.clone(),
            row: 0,
            field: String::new(),
            message: "no Parquet files (and corpus.generate_postings is 0)".into(),
        });
    }
    let out = &config.output.dir;
    let classified_dir = out.join("classified");
    if classified_dir.exists() {
        std::fs::remove_dir_all(&classified_dir)
            .map_err(|e| PipelineError::Output { path: classified_dir.clone(), message: e.to_string() })?;
    }
    let start = Instant::now();
    let stage = ClassifyStage::new(&taxonomy, &classifier, corpus, &files, &classified_dir)?;
    let partials = scan_row_groups_with(&files, &stage.columns(), BATCH_ROWS, Scratch::new, |scratch, g, batches| {
        stage.row_group(scratch, &g.path, g.row_group, batches)
    })?;
    let mut counts = OccupationYear::new(classifier.codes().len());
    let (mut agree, mut with_truth) = (0u64, 0u64);
    let mut outputs = Vec::new();
    let mut tallies = Tallies::default();
    for p in partials {
        counts.merge(&p.counts);
        tallies.merge(p.tallies);
        agree += p.agree;
        with_truth += p.with_truth;
        outputs.extend(p.output);
    }
    let classify_seconds = start.elapsed().as_secs_f64();
    let table = counts
        .to_record_batch(|o| (classifier.codes()[o].to_string(), stage.names[o].as_str()))
        .map_err(|e| PipelineError::Output { path: out.clone(), message: e.to_string() })?;
    outputs.extend(write_table(out, "occupation_year", &table)?);
    let rows_in = counts.total_postings();
    let unclassified = counts.unclassified_postings();
    Ok(RunSummary {
        corpus: corpus.clone(),
        generated,
        generate_seconds,
        input_files: files.len(),
        rows_in,
        classified: rows_in - unclassified,
        unclassified,
        true_code_agreement: (with_truth > 0).then(|| agree as f64 / with_truth as f64),
        methods: tallies.methods,
        levels: tallies.levels,
        rules_applied: tallies.rules,
        classify_seconds,
        outputs,
    })
}

/// Loads the taxonomy and builds the classifier from the configuration.
pub fn build_classifier(config: &Config) -> Result<(Taxonomy, Classifier)> {
    let c = &config.classify;
    let options = ClassifierOptions {
        top_k: c.top_k,
        description_weight: c.description_weight,
        level_threshold: c.level_threshold,
        ..ClassifierOptions::default()
    };
    let rules = (!c.rules.as_os_str().is_empty()).then_some(c.rules.as_path());
    Ok(Classifier::from_dir(&config.taxonomy.dir, rules, options)?)
}

/// The classification stage: shared, read-only state of the per-row-group work.
struct ClassifyStage<'a> {
    classifier: &'a Classifier,
    occupation_of: HashMap<OcdCode, usize>,
    names: Vec<String>,
    has_truth: bool,
    corpus: &'a Path,
    out: &'a Path,
}

struct Partial {
    counts: OccupationYear,
    agree: u64,
    with_truth: u64,
    tallies: Tallies,
    output: Option<PathBuf>,
}

/// Counts of the classification's categorical columns.
#[derive(Default)]
struct Tallies {
    methods: BTreeMap<String, u64>,
    levels: BTreeMap<String, u64>,
    rules: BTreeMap<String, u64>,
}

impl Tallies {
    fn add(&mut self, classified: &RecordBatch) {
        let count = |name: &str, into: &mut BTreeMap<String, u64>| {
            let Some(col) = classified.column_by_name(name).and_then(|a| a.as_string_opt::<i32>()) else { return };
            for v in col.iter().flatten() {
                match into.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        into.insert(v.to_string(), 1);
                    }
                }
            }
        };
        count("method", &mut self.methods);
        count("level", &mut self.levels);
        count("rule", &mut self.rules);
    }

    fn merge(&mut self, other: Tallies) {
        for (mine, theirs) in
            [(&mut self.methods, other.methods), (&mut self.levels, other.levels), (&mut self.rules, other.rules)]
        {
            for (k, v) in theirs {
                *mine.entry(k).or_default() += v;
            }
        }
    }
}

impl<'a> ClassifyStage<'a> {
    fn new(
        taxonomy: &Taxonomy,
        classifier: &'a Classifier,
        corpus: &'a Path,
        files: &[PathBuf],
        out: &'a Path,
    ) -> Result<Self> {
        let occupation_of = classifier.codes().iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let names =
            classifier.codes().iter().map(|&c| taxonomy.get(c).map(|c| c.name.clone()).unwrap_or_default()).collect();
        let mut has_truth = true;
        for f in files {
            has_truth &= column_names(f)?.iter().any(|c| c == col::TRUE_CODE);
        }
        Ok(ClassifyStage { classifier, occupation_of, names, has_truth, corpus, out })
    }

    fn columns(&self) -> Vec<&'static str> {
        let mut c =
            vec![col::POSTING_ID, col::PLATFORM, col::POSTED_AT, col::TITLE, col::DESCRIPTION, col::HEADCOUNT_TEXT];
        if self.has_truth {
            c.push(col::TRUE_CODE);
        }
        c
    }

    fn row_group(
        &self,
        scratch: &mut Scratch,
        path: &Path,
        row_group: usize,
        batches: Vec<RecordBatch>,
    ) -> Result<Partial> {
        let mut counts = OccupationYear::new(self.classifier.codes().len());
        let (mut agree, mut with_truth) = (0, 0);
        let mut tallies = Tallies::default();
        let rel = path.strip_prefix(self.corpus).unwrap_or(path).with_extension("");
        let out_path = self.out.join(format!("{}-rg{row_group}.parquet", rel.display()));
        let mut sink: Option<ParquetSink> = None;
        for batch in batches {
            let text = |name: &str| -> Result<&StringArray> {
                batch.column_by_name(name).and_then(|a| a.as_string_opt::<i32>()).ok_or_else(|| PipelineError::Input {
                    path: path.into(),
                    row: 0,
                    field: name.into(),
                    message: "not a string column".into(),
                })
            };
            let titles = text(col::TITLE)?;
            let descriptions = text(col::DESCRIPTION)?;
            let headcounts = text(col::HEADCOUNT_TEXT)?;
            let dates = batch
                .column_by_name(col::POSTED_AT)
                .and_then(|a| a.as_primitive_opt::<Date32Type>())
                .ok_or_else(|| PipelineError::Input {
                    path: path.into(),
                    row: 0,
                    field: col::POSTED_AT.into(),
                    message: "not a date32 column".into(),
                })?;
            let classified = classify_batch(self.classifier, titles, Some(descriptions), scratch)?;
            tallies.add(&classified);
            let codes = classified.column(0).as_string::<i32>();
            let truth = if self.has_truth { Some(text(col::TRUE_CODE)?) } else { None };
            for i in 0..batch.num_rows() {
                let code = (!codes.is_null(i)).then(|| codes.value(i));
                let occupation =
                    code.and_then(|c| c.parse::<OcdCode>().ok()).and_then(|c| self.occupation_of.get(&c).copied());
                let year = (!dates.is_null(i)).then(|| civil_from_days(dates.value(i)).0);
                let vacancies =
                    parse_headcount(if headcounts.is_null(i) { "" } else { headcounts.value(i) }).vacancies(1);
                counts.add(occupation, year, vacancies);
                if let Some(t) = truth.filter(|t| !t.is_null(i)) {
                    with_truth += 1;
                    agree += u64::from(code == Some(t.value(i)));
                }
            }
            let joined = self.output_batch(&batch, &classified, path)?;
            let sink = match &mut sink {
                Some(s) => s,
                None => sink.insert(ParquetSink::create(&out_path, joined.schema())?),
            };
            sink.write(&joined)?;
        }
        let output = match sink {
            Some(s) => {
                s.finish()?;
                Some(out_path)
            }
            None => None,
        };
        Ok(Partial { counts, agree, with_truth, tallies, output })
    }

    /// The input's identifying columns followed by the classification.
    fn output_batch(&self, input: &RecordBatch, classified: &RecordBatch, path: &Path) -> Result<RecordBatch> {
        let mut fields: Vec<Arc<Field>> = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for name in [col::POSTING_ID, col::PLATFORM, col::POSTED_AT, col::TITLE, col::TRUE_CODE] {
            if let Ok(i) = input.schema().index_of(name) {
                fields.push(Arc::new(input.schema().field(i).clone()));
                columns.push(input.column(i).clone());
            }
        }
        fields.extend(classified.schema().fields().iter().cloned());
        columns.extend(classified.columns().iter().cloned());
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .map_err(|e| PipelineError::Output { path: path.into(), message: e.to_string() })
    }
}

/// Writes a table as `NAME.parquet` and `NAME.csv` under `dir`, each atomically.
pub fn write_table(dir: &Path, name: &str, batch: &RecordBatch) -> Result<Vec<PathBuf>> {
    let parquet = dir.join(format!("{name}.parquet"));
    zhiye_ingest::write_parquet(&parquet, batch.schema(), std::slice::from_ref(batch))?;
    let csv = dir.join(format!("{name}.csv"));
    let tmp = dir.join(format!(".{name}.csv.tmp"));
    let io = |e: std::io::Error| PipelineError::Output { path: csv.clone(), message: e.to_string() };
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut writer = arrow_csv::WriterBuilder::new().with_header(true).build(std::io::BufWriter::new(file));
    writer.write(batch).map_err(|e| PipelineError::Output { path: csv.clone(), message: e.to_string() })?;
    drop(writer);
    std::fs::rename(&tmp, &csv).map_err(io)?;
    Ok(vec![parquet, csv])
}
