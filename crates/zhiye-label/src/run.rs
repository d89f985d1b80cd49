//! [`label`]: every fine occupation × model × run not yet in the cache,
//! asked with bounded concurrency, per-model rate limits and retries; then
//! the labels file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use serde::Serialize;
use zhiye_core::{OcdCode, Taxonomy};

use crate::cache::{INVALID, Key, LabelCache, LabelRow};
use crate::client::{Cause, Reply, ask};
use crate::config::{LabelConfig, ModelConfig};
use crate::prompt::{Prompt, Template};
use crate::reply::parse_label;
use crate::{LabelError, Result};

/// Progress of a run, for a bar or a log.
pub trait Progress: Sync {
    /// `total` requests are to be made (cached labels excluded).
    fn start(&self, total: u64);
    /// One more label settled (valid, invalid or given up).
    fn advance(&self);
}

/// Progress that shows nothing.
#[derive(Debug)]
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn advance(&self) {}
}

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Fine occupations labelled.
    pub occupations: usize,
    /// Labels wanted: occupations × models × runs.
    pub wanted: usize,
    /// Of those, found in the cache.
    pub cached: usize,
    /// Asked in this run.
    pub asked: usize,
    /// Asked and labelled E0–E3.
    pub labelled: usize,
    /// Asked and recorded `invalid`: every attempt's reply named no label or two.
    pub invalid: usize,
    /// Asked and given up without a reply to record (the endpoint failed every
    /// attempt): not cached, asked again by the next run.
    pub failed: usize,
    /// Why some failed labels failed (the first few).
    pub failures: Vec<String>,
    /// Requests made, retries included.
    pub requests: u64,
    /// Retries by cause.
    pub retries: BTreeMap<Cause, u64>,
    /// Per model: requests, tokens and cost of this run.
    pub models: Vec<ModelUsage>,
    /// Labels in the output file (E0–E3 and `invalid`).
    pub written: usize,
    /// The labels file.
    pub output: String,
    /// Wall time.
    pub seconds: f64,
}

/// Token use and cost of one model in a run.
#[derive(Debug, Default, Serialize)]
pub struct ModelUsage {
    /// The model's name.
    pub model: String,
    /// Requests made.
    pub requests: u64,
    /// Prompt tokens, as the endpoint counted them.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// From the configured prices (0 when not priced).
    pub cost: f64,
}

/// One label to get.
struct Job<'a> {
    code: OcdCode,
    model: usize,
    run: u32,
    prompt: &'a Prompt,
}

/// How one job ended.
enum Settled {
    Row(LabelRow, bool),
    /// Why the last attempt failed.
    Failed(String),
}

/// One message from a worker to the collector.
struct Done {
    model: usize,
    requests: u64,
    prompt_tokens: u64,
    completion_tokens: u64,
    retries: Vec<Cause>,
    settled: Settled,
}

/// Starts requests to one model no faster than its `requests_per_minute`.
struct Pace {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl Pace {
    fn new(model: &ModelConfig) -> Pace {
        let interval = (model.requests_per_minute > 0)
            .then(|| Duration::from_secs_f64(60.0 / f64::from(model.requests_per_minute)));
        Pace { interval, next: Mutex::new(Instant::now()) }
    }

    fn wait(&self) {
        let Some(interval) = self.interval else { return };
        let start = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + interval;
            start
        };
        std::thread::sleep(start.saturating_duration_since(Instant::now()));
    }
}

/// Labels the configured occupations × models × runs (see [`LabelConfig`]),
/// resuming from the cache, and writes the labels file.
pub fn label(config: &LabelConfig, progress: &dyn Progress) -> Result<Summary> {
    let started = Instant::now();
    let taxonomy = Taxonomy::from_path(config.taxonomy_dir.join("csco22.csv"))?;
    let template = Template::from_path(&config.template)?;
    let classes = select(&taxonomy, config)?;
    let prompts: Vec<Prompt> = classes.iter().map(|&i| template.render(&taxonomy.classes()[i])).collect();
    let keys = api_keys(config)?;
    let mut cache = LabelCache::open(&config.cache_dir)?;
    let (jobs, mut summary) = plan(config, &taxonomy, &classes, &prompts, &cache.load()?);
    progress.start(jobs.len() as u64);
    summary.models = ask_all(config, &jobs, &keys, &template.version, &mut cache, &mut summary, progress)?;

    // The labels file: every wanted key that has a label, from the whole cache.
    let all = cache.load()?;
    let mut rows: Vec<&LabelRow> = Vec::new();
    for (c, &i) in classes.iter().enumerate() {
        for m in &config.models {
            for run in 1..=config.runs {
                let key = (taxonomy.classes()[i].code.to_string(), m.name.clone(), run, prompts[c].hash.clone());
                rows.extend(all.get(&key));
            }
        }
    }
    write_labels(&config.output, &rows)?;
    summary.written = rows.len();
    summary.output = config.output.display().to_string();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Each model's API key from its environment variable ("" for none); an
/// unset variable is a configuration error.
fn api_keys(config: &LabelConfig) -> Result<Vec<String>> {
    let keys: Vec<String> = config
        .models
        .iter()
        .map(|m| m.api_key_env.as_ref().map(|v| std::env::var(v).unwrap_or_default()))
        .map(|k| k.filter(|k| !k.is_empty()).unwrap_or_default())
        .collect();
    for (m, key) in config.models.iter().zip(&keys) {
        if let (Some(var), true) = (&m.api_key_env, key.is_empty()) {
            return Err(LabelError::Config {
                path: "api_key_env".into(),
                message: format!("model {}: the environment variable {var} is not set", m.name),
            });
        }
    }
    Ok(keys)
}

/// The labels to ask for (those not in the cache), interleaved by model, and
/// the summary's counts so far.
fn plan<'p>(
    config: &LabelConfig,
    taxonomy: &Taxonomy,
    classes: &[usize],
    prompts: &'p [Prompt],
    known: &HashMap<Key, LabelRow>,
) -> (Vec<Job<'p>>, Summary) {
    let mut jobs = Vec::new();
    let mut summary = Summary { occupations: classes.len(), ..Summary::default() };
    for (c, &i) in classes.iter().enumerate() {
        for (model, m) in config.models.iter().enumerate() {
            for run in 1..=config.runs {
                summary.wanted += 1;
                let code = taxonomy.classes()[i].code;
                let key: Key = (code.to_string(), m.name.clone(), run, prompts[c].hash.clone());
                if known.contains_key(&key) {
                    summary.cached += 1;
                } else {
                    jobs.push(Job { code, model, run, prompt: &prompts[c] });
                }
            }
        }
    }
    // Interleave models, so that one model's rate limit does not hold the others.
    jobs.sort_by_key(|j| (j.run, j.code, j.model));
    summary.asked = jobs.len();
    (jobs, summary)
}

/// Asks for every job on `config.concurrency` workers, appending the labels
/// to the cache as they come; returns each model's usage with its cost.
fn ask_all(
    config: &LabelConfig,
    jobs: &[Job<'_>],
    keys: &[String],
    version: &str,
    cache: &mut LabelCache,
    summary: &mut Summary,
    progress: &dyn Progress,
) -> Result<Vec<ModelUsage>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs_f64(config.timeout_seconds)))
        .http_status_as_error(false)
        .build()
        .into();
    let paces: Vec<Pace> = config.models.iter().map(Pace::new).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let refused: Mutex<Option<LabelError>> = Mutex::new(None);
    let mut tally = Tally {
        usage: config.models.iter().map(|m| ModelUsage { model: m.name.clone(), ..ModelUsage::default() }).collect(),
        failing: 0,
        // Labels failed in a row (every attempt): at this many the endpoints are taken to be down.
        give_up: (2 * config.concurrency).max(10),
    };
    let mut pending: Vec<LabelRow> = Vec::new();
    let mut flush_error = None;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<Done>();
        for _ in 0..config.concurrency.min(jobs.len().max(1)) {
            let tx = tx.clone();
            let (next, stop, refused, agent, paces) = (&next, &stop, &refused, &agent, &paces);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) else { break };
                    let key = (!keys[job.model].is_empty()).then(|| keys[job.model].as_str());
                    match settle(config, agent, &paces[job.model], key, job, version, stop) {
                        Ok(done) => {
                            if tx.send(done).is_err() {
                                break;
                            }
                        }
                        Err(e) => {
                            stop.store(true, Ordering::Relaxed);
                            refused.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
                        }
                    }
                }
            });
        }
        drop(tx);
        for done in rx {
            if let Some(row) = tally.record(done, summary, &stop, &refused) {
                pending.push(row);
            }
            progress.advance();
            if pending.len() >= config.flush_every
                && let Err(e) = cache.append(&std::mem::take(&mut pending))
            {
                flush_error = Some(e);
                stop.store(true, Ordering::Relaxed);
            }
        }
    });
    if let Some(e) = flush_error {
        return Err(e);
    }
    cache.append(&pending)?;
    if let Some(e) = refused.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    for (u, m) in tally.usage.iter_mut().zip(&config.models) {
        u.cost = (u.prompt_tokens as f64 * m.price_input_per_mtok
            + u.completion_tokens as f64 * m.price_output_per_mtok)
            / 1e6;
    }
    Ok(tally.usage)
}

/// What the collector keeps while the workers answer.
struct Tally {
    usage: Vec<ModelUsage>,
    /// Labels failed in a row.
    failing: usize,
    /// Failures in a row that stop the run.
    give_up: usize,
}

impl Tally {
    /// Counts one settled job; returns its row to cache, if it has one.
    fn record(
        &mut self,
        done: Done,
        summary: &mut Summary,
        stop: &AtomicBool,
        refused: &Mutex<Option<LabelError>>,
    ) -> Option<LabelRow> {
        let u = &mut self.usage[done.model];
        u.requests += done.requests;
        u.prompt_tokens += done.prompt_tokens;
        u.completion_tokens += done.completion_tokens;
        summary.requests += done.requests;
        for cause in done.retries {
            *summary.retries.entry(cause).or_default() += 1;
        }
        match done.settled {
            Settled::Row(row, valid) => {
                self.failing = 0;
                if valid {
                    summary.labelled += 1;
                } else {
                    summary.invalid += 1;
                }
                Some(row)
            }
            Settled::Failed(why) => {
                summary.failed += 1;
                self.failing += 1;
                if self.failing == self.give_up && !stop.swap(true, Ordering::Relaxed) {
                    *refused.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some(LabelError::Unreachable { failed: self.failing, last: why.clone() });
                }
                if summary.failures.len() < 5 {
                    summary.failures.push(why);
                }
                None
            }
        }
    }
}

/// The fine occupations to label, in taxonomy order.
fn select(taxonomy: &Taxonomy, config: &LabelConfig) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = taxonomy.occupations().to_vec();
    if !config.codes.is_empty() {
        let mut wanted = Vec::new();
        for c in &config.codes {
            let code: OcdCode = c.parse().map_err(|_| LabelError::Config {
                path: "codes".into(),
                message: format!("{c:?} is not an OCD code"),
            })?;
            match taxonomy.index_of(code).filter(|i| out.contains(i)) {
                Some(i) => wanted.push(i),
                None => {
                    return Err(LabelError::Config {
                        path: "codes".into(),
                        message: format!("{c} is not a fine occupation of the taxonomy"),
                    });
                }
            }
        }
        out.retain(|i| wanted.contains(i));
    }
    if config.limit > 0 {
        out.truncate(config.limit);
    }
    Ok(out)
}

/// Asks until the reply names one label, or `max_attempts` are spent.
fn settle(
    config: &LabelConfig,
    agent: &ureq::Agent,
    pace: &Pace,
    key: Option<&str>,
    job: &Job<'_>,
    version: &str,
    stop: &AtomicBool,
) -> Result<Done> {
    let model = &config.models[job.model];
    let mut done = Done {
        model: job.model,
        requests: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        retries: Vec::new(),
        settled: Settled::Failed(String::new()),
    };
    let mut last_text: Option<String> = None;
    for attempt in 1..=config.max_attempts {
        pace.wait();
        done.requests += 1;
        let (cause, wait) = match ask(agent, model, key, job.prompt) {
            Reply::Text { content, prompt_tokens, completion_tokens } => {
                done.prompt_tokens += prompt_tokens;
                done.completion_tokens += completion_tokens;
                if let Ok(label) = parse_label(&content) {
                    done.settled =
                        Settled::Row(row(job, model, version, &label.to_string(), content, attempt, &done), true);
                    return Ok(done);
                }
                last_text = Some(content);
                (Cause::Unparseable, None)
            }
            Reply::Retry { cause, detail, wait } => {
                done.settled =
                    Settled::Failed(format!("{} {} run {}: {cause:?}: {detail}", model.name, job.code, job.run));
                (cause, wait)
            }
            Reply::Refused { status, body } => {
                let url = format!("{}/chat/completions", model.base_url.trim_end_matches('/'));
                return Err(LabelError::Refused { model: model.name.clone(), url, status, body });
            }
        };
        if attempt == config.max_attempts {
            break;
        }
        if stop.load(Ordering::Relaxed) {
            // Attempts left: not the model's last word, so not recorded.
            done.settled = Settled::Failed("the run stopped".into());
            return Ok(done);
        }
        done.retries.push(cause);
        std::thread::sleep(backoff(config, attempt, job).max(wait.unwrap_or_default()));
    }
    // A reply that never named one label is the model's answer: recorded, never guessed from.
    if let Some(text) = last_text {
        let attempts = u32::try_from(done.requests).unwrap_or(u32::MAX);
        done.settled = Settled::Row(row(job, model, version, INVALID, text, attempts, &done), false);
    }
    Ok(done)
}

fn row(
    job: &Job<'_>,
    model: &ModelConfig,
    version: &str,
    label: &str,
    raw: String,
    attempts: u32,
    d: &Done,
) -> LabelRow {
    LabelRow {
        code: job.code.to_string(),
        model: model.name.clone(),
        run: job.run,
        prompt_hash: job.prompt.hash.clone(),
        version: version.to_string(),
        label: label.to_string(),
        raw,
        attempts,
        prompt_tokens: d.prompt_tokens,
        completion_tokens: d.completion_tokens,
    }
}

/// Exponential backoff with a jitter of up to ±25%, derived from the job so
/// that retries of many jobs spread out without a random source.
fn backoff(config: &LabelConfig, attempt: u32, job: &Job<'_>) -> Duration {
    let base = config.backoff_ms.saturating_mul(1 << (attempt - 1).min(20)).min(config.backoff_max_ms);
    let seed = blake3::hash(format!("{}:{}:{}:{attempt}", job.code, job.model, job.run).as_bytes());
    let unit = f64::from(seed.as_bytes()[0]) / 255.0; // 0..=1
    Duration::from_secs_f64(base as f64 * (0.75 + 0.5 * unit) / 1000.0)
}

/// Writes the labels `zhiye exposure score` reads: CSV, or Parquet when the
/// name ends in `.parquet`; atomically.
fn write_labels(path: &Path, rows: &[&LabelRow]) -> Result<()> {
    if path.extension().is_some_and(|e| e == "parquet" || e == "pq") {
        use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt32Array};
        use arrow_schema::{DataType, Field, Schema};
        use std::sync::Arc;
        let s = |n: &str| Field::new(n, DataType::Utf8, false);
        let schema = Arc::new(Schema::new(vec![
            s("code"),
            s("model"),
            Field::new("run", DataType::UInt32, false),
            s("label"),
            s("raw"),
        ]));
        let strings = |f: fn(&LabelRow) -> &str| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| f(r))))
        };
        let columns: Vec<ArrayRef> = vec![
            strings(|r| &r.code),
            strings(|r| &r.model),
            Arc::new(rows.iter().map(|r| r.run).collect::<UInt32Array>()),
            strings(|r| &r.label),
            strings(|r| &r.raw),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns)
            .map_err(|source| LabelError::Arrow { path: path.into(), source })?;
        zhiye_ingest::write_parquet(path, schema, &[batch])?;
        return Ok(());
    }
    zhiye_core::fs::write_atomic_with(path, |out| {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["code", "model", "run", "label", "raw"])?;
        for r in rows {
            w.write_record([r.code.as_str(), &r.model, &r.run.to_string(), &r.label, &r.raw])?;
        }
        w.flush()
    })
    .map_err(LabelError::io(path))
}

/// The labels by key of a finished run (for tests and tools).
pub fn cached_labels(config: &LabelConfig) -> Result<HashMap<Key, LabelRow>> {
    LabelCache::open(&config.cache_dir)?.load()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(rpm: u32) -> ModelConfig {
        toml::from_str(&format!("name = \"m\"\nbase_url = \"http://x\"\nmodel = \"m\"\nrequests_per_minute = {rpm}"))
            .unwrap()
    }

    #[test]
    fn pace_spaces_request_starts() {
        // 1,200 per minute: one start per 50 ms, however many threads ask.
        let pace = Pace::new(&model(1200));
        let t = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| (0..2).for_each(|_| pace.wait()));
            }
        });
        assert!(t.elapsed() >= Duration::from_millis(5 * 50), "{:?}", t.elapsed());
        let free = Pace::new(&model(0));
        let t = Instant::now();
        (0..1000).for_each(|_| free.wait());
        assert!(t.elapsed() < Duration::from_millis(250), "no limit means no waiting");
    }

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let config = LabelConfig { backoff_ms: 100, backoff_max_ms: 1000, ..LabelConfig::default() };
        let prompt = Prompt { system: String::new(), user: String::new(), hash: String::new() };
        let job = Job { code: "2-02-10-01".parse().unwrap(), model: 0, run: 1, prompt: &prompt };
        for (attempt, base) in [(1, 100.0), (2, 200.0), (3, 400.0), (5, 1000.0), (30, 1000.0)] {
            let ms = backoff(&config, attempt, &job).as_secs_f64() * 1000.0;
            assert!((0.75 * base..=1.25 * base).contains(&ms), "attempt {attempt}: {ms} ms");
        }
    }
}
