//! [`aggregate`]: the published tables, computed with Apache DataFusion over
//! the classified postings (the queries are in [`crate::sql`]).

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use datafusion::arrow::compute::concat_batches;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use zhiye_core::{Level, Taxonomy};

use crate::sql::{self, QueryRole};
use crate::{AggError, Result};

/// Columns of the classified postings the aggregation reads: `code` (fine
/// OCD code, null when unclassified), `year` and `month` (Int32), `city`,
/// `industry`, `platform` (strings), `dup_of` (the row a repost repeats; null
/// for a counted posting), `headcount` (UInt32, null when missing or
/// unspecified), `wage` (monthly CNY, the middle of the parsed range),
/// `exp_min` (minimum years required), `education` (ordinal 0–6) and
/// `ai_mention` (Boolean).
pub const CLASSIFIED_COLUMNS: [&str; 13] = [
    "code",
    "year",
    "month",
    "city",
    "industry",
    "platform",
    "dup_of",
    "headcount",
    "wage",
    "exp_min",
    "education",
    "ai_mention",
    "row",
];

/// A breakdown of the occupation tables by a posting attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// The job's city.
    City,
    /// The employer's industry (the occupation intensities of industry exposure).
    Industry,
    /// The job board.
    Platform,
}

impl Dimension {
    /// The column name, also the suffix of the table `occupation_<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::City => "city",
            Dimension::Industry => "industry",
            Dimension::Platform => "platform",
        }
    }

    /// Parses `city`, `industry` or `platform`.
    pub fn parse(name: &str) -> Option<Dimension> {
        [Dimension::City, Dimension::Industry, Dimension::Platform].into_iter().find(|d| d.name() == name)
    }
}

/// How to aggregate.
#[derive(Clone, Debug)]
pub struct AggregateOptions {
    /// Vacancies of a posting whose head-count is missing or unspecified
    /// (若干). Default 1.
    pub missing_headcount: u32,
    /// Extra breakdowns, each written as `occupation_<dimension>`. Default: industry.
    pub dimensions: Vec<Dimension>,
    /// Worker threads of the query engine; 0 = one per core. Default 0.
    pub threads: usize,
}

impl Default for AggregateOptions {
    fn default() -> Self {
        AggregateOptions { missing_headcount: 1, dimensions: vec![Dimension::Industry], threads: 0 }
    }
}

/// A published table: its name (the file stem) and its rows.
#[derive(Clone, Debug)]
pub struct NamedTable {
    /// File stem, e.g. `occupation_year`.
    pub name: String,
    /// All rows, in the table's documented order.
    pub batch: RecordBatch,
}

/// Computes every table from the classified postings under `classified` (a
/// folder of Parquet files, searched recursively) at the four levels of
/// `taxonomy`: `occupation_year`, `occupation_month`, `share_growth`,
/// `experience_premium`, `education_mix`, `occupation_summary` and one
/// `occupation_<dimension>` per requested breakdown.
pub fn aggregate(classified: &Path, taxonomy: &Taxonomy, options: &AggregateOptions) -> Result<Vec<NamedTable>> {
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .build()
        .map_err(|source| AggError::Runtime { source })?;
    runtime.block_on(run_queries(classified, taxonomy, options, threads))
}

async fn run_queries(
    classified: &Path,
    taxonomy: &Taxonomy,
    options: &AggregateOptions,
    threads: usize,
) -> Result<Vec<NamedTable>> {
    let mut config = SessionConfig::new().with_target_partitions(threads);
    // Plain Utf8 strings: the published tables are written as Parquet and CSV by arrow-rs writers.
    config.options_mut().execution.parquet.schema_force_view_types = false;
    // A footer cache of 8 MiB, not the default 50 MB that would grow with the
    // number of classified files: each partial scans every file again, and
    // parsing the footers again cost 13% of the aggregation (1M postings: 90
    // files, 0.7 MB of footers on disk).
    let runtime = RuntimeEnvBuilder::new().with_metadata_cache_limit(8 << 20).build_arc().map_err(engine("runtime"))?;
    let ctx = SessionContext::new_with_config_rt(config, runtime);
    let dir = classified
        .to_str()
        .ok_or_else(|| AggError::Input { path: classified.into(), message: "the path is not valid UTF-8".into() })?;
    let url = format!("{}/", dir.trim_end_matches('/'));
    ctx.register_parquet("postings", &url, ParquetReadOptions::default())
        .await
        .map_err(|e| AggError::Register { path: classified.into(), source: Box::new(e) })?;
    ctx.register_batch("levels", levels_table(taxonomy)?).map_err(engine("registering the levels"))?;

    let mut tables = Vec::new();
    for q in sql::queries(options) {
        let batch = query_batch(&ctx, &q.name, &q.sql).await?;
        // Later queries read earlier results; a name used again (`p_by`) is replaced.
        ctx.deregister_table(q.name.as_str()).map_err(engine(&q.name))?;
        ctx.register_batch(&q.name, batch.clone()).map_err(engine(&q.name))?;
        if q.role == QueryRole::Table {
            tables.push(NamedTable { name: q.name, batch });
        }
    }
    Ok(tables)
}

fn engine(context: &str) -> impl Fn(datafusion::error::DataFusionError) -> AggError + '_ {
    move |e| AggError::Engine { context: context.into(), source: Box::new(e) }
}

async fn query_batch(ctx: &SessionContext, name: &str, query: &str) -> Result<RecordBatch> {
    let df = ctx.sql(query).await.map_err(engine(name))?;
    let schema = Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await.map_err(engine(name))?;
    concat_batches(&schema, &batches).map_err(|source| AggError::Arrow { context: name.into(), source })
}

/// `levels(fine, id, cid, level, rank, code, name)`: each occupation (`id`)
/// with the code of each level it belongs to (`cid` numbers the level's
/// codes), and the empty key for unclassified postings. The roll-ups of
/// [`crate::queries`] join it.
pub fn levels_table(taxonomy: &Taxonomy) -> Result<RecordBatch> {
    let levels = [Level::Large, Level::Medium, Level::Small, Level::Fine];
    let mut fine = Vec::new();
    let mut id = Vec::new();
    let mut cid = Vec::new();
    let mut cids: [std::collections::HashMap<Option<String>, i64>; 4] = Default::default();
    let mut level = Vec::new();
    let mut rank = Vec::new();
    let mut code = Vec::new();
    let mut name = Vec::new();
    let occupations = taxonomy.occupations().iter().map(|&i| Some(taxonomy.classes()[i].code));
    for (n, occupation) in occupations.chain([None]).enumerate() {
        for (r, &l) in levels.iter().enumerate() {
            fine.push(occupation.map_or_else(String::new, |c| c.to_string()));
            id.push(n as i64);
            level.push(l.name());
            rank.push(r as i32);
            let c = occupation.map(|c| c.written_at(l));
            let next = cids[r].len() as i64;
            cid.push(r as i64 * 1_000_000 + *cids[r].entry(c.clone()).or_insert(next));
            code.push(c);
            name.push(occupation.and_then(|c| taxonomy.get(c.truncate(l))).map(|c| c.name.clone()));
        }
    }
    let schema = Schema::new(vec![
        Field::new("fine", DataType::Utf8, false),
        Field::new("id", DataType::Int64, false),
        Field::new("cid", DataType::Int64, false),
        Field::new("level", DataType::Utf8, false),
        Field::new("rank", DataType::Int32, false),
        Field::new("code", DataType::Utf8, true),
        Field::new("name", DataType::Utf8, true),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(fine)),
        Arc::new(Int64Array::from(id)),
        Arc::new(Int64Array::from(cid)),
        Arc::new(StringArray::from(level)),
        Arc::new(Int32Array::from(rank)),
        Arc::new(StringArray::from(code)),
        Arc::new(StringArray::from(name)),
    ];
    RecordBatch::try_new(Arc::new(schema), columns)
        .map_err(|source| AggError::Arrow { context: "levels table".into(), source })
}
