//! `zhiye search`: BM25-ranked postings of an index, with snippets and facets.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Result, bail};
use arrow::array::{ArrayRef, Float32Array, Float64Array, Int64Array, RecordBatch, StringArray};
use zhiye_search::{SearchOptions, search};

use super::output::{Format, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The index folder (`zhiye index --out`).
    index: PathBuf,
    /// The query: words (jieba splits Chinese), "phrases", AND/OR/NOT, field:word (title, description, company).
    /// With --bench: ignored unless given; a built-in set of queries is timed.
    #[arg(default_value = "")]
    query: String,
    /// Benchmark: time a set of typical queries (hits, filters, facets) N times each and print p50/p99 latency.
    #[arg(long, value_name = "N")]
    bench: Option<usize>,
    /// Only occupations under this OCD code or prefix (2, 2-02, 2-02-10, 2-02-10-01).
    #[arg(long)]
    code: Option<String>,
    /// Only postings of this year.
    #[arg(long)]
    year: Option<i64>,
    /// Hits to return.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Also count every matching posting by occupation (one level below --code) and by year.
    #[arg(long)]
    facets: bool,
    /// Count occupations at this level instead: 1 large, 2 medium, 3 small, 4 fine (implies --facets).
    #[arg(long, value_name = "LEVEL")]
    facet_level: Option<usize>,
    /// How to print: the hits and facets as text, the whole result as JSON, or a CSV record per hit
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Also write the hits to this Parquet file.
    #[arg(long, value_name = "FILE")]
    parquet: Option<PathBuf>,
}

/// Typical researcher queries: words, phrases, filters and facets.
fn bench_queries() -> Vec<(String, SearchOptions)> {
    let plain = |q: &str| (q.to_string(), SearchOptions { limit: 10, ..SearchOptions::default() });
    let mut qs: Vec<(String, SearchOptions)> = [
        "会计",
        "销售",
        "大模型",
        "Java",
        "护士",
        "司机",
        "数据分析",
        "\"五险一金\"",
        "人工智能 AND 算法",
        "title:工程师",
    ]
    .iter()
    .map(|q| plain(q))
    .collect();
    qs.push(("大模型".into(), SearchOptions { year: Some(2022), facets: true, limit: 10, ..SearchOptions::default() }));
    qs.push((
        "工程师".into(),
        SearchOptions { code: Some("2-02".into()), facets: true, limit: 10, ..SearchOptions::default() },
    ));
    qs
}

pub fn run(args: Args) -> Result<()> {
    if let Some(n) = args.bench {
        let mut queries = bench_queries();
        if !args.query.is_empty() {
            queries = vec![(
                args.query.clone(),
                SearchOptions { limit: args.limit, facets: args.facets, ..SearchOptions::default() },
            )];
        }
        let l = zhiye_search::measure_latency(&args.index, &queries, n)?;
        // The latencies are a nested record: JSON reads best, as the table too.
        let format = if args.format == Format::Table { Format::Json } else { args.format };
        return emit(format, &l, |_| Ok(()));
    }
    if args.query.is_empty() {
        bail!("give a query (or --bench N)");
    }
    let options = SearchOptions {
        code: args.code,
        year: args.year,
        limit: args.limit,
        facets: args.facets || args.facet_level.is_some(),
        facet_level: args.facet_level,
    };
    let r = search(&args.index, &args.query, &options)?;
    if let Some(out) = &args.parquet {
        let s = |f: fn(&zhiye_search::Hit) -> &str| -> ArrayRef {
            Arc::new(r.hits.iter().map(|h| Some(f(h))).collect::<StringArray>())
        };
        let i = |f: fn(&zhiye_search::Hit) -> Option<i64>| -> ArrayRef {
            Arc::new(r.hits.iter().map(f).collect::<Int64Array>())
        };
        let batch = RecordBatch::try_from_iter(vec![
            ("score", Arc::new(r.hits.iter().map(|h| Some(h.score)).collect::<Float32Array>()) as ArrayRef),
            ("posting_id", s(|h| &h.posting_id)),
            ("title", s(|h| &h.title)),
            ("company", s(|h| &h.company)),
            ("city", s(|h| &h.city)),
            ("code", s(|h| &h.code)),
            ("year", i(|h| h.year)),
            ("month", i(|h| h.month)),
            ("wage", Arc::new(r.hits.iter().map(|h| h.wage).collect::<Float64Array>())),
            ("exp_min", i(|h| h.exp_min)),
            ("snippet", s(|h| &h.snippet)),
        ])?;
        zhiye_ingest::write_parquet(out, batch.schema(), &[batch])?;
        eprintln!("{} of {} hits written to {}", r.hits.len(), r.total, out.display());
    }
    if args.format == Format::Csv {
        return emit(Format::Csv, &r.hits, |_| Ok(()));
    }
    emit(args.format, &r, |out| {
        writeln!(out, "{} postings match", r.total)?;
        for h in &r.hits {
            let wage = h.wage.map_or_else(|| "-".into(), |w| format!("{w:.0}"));
            let year = h.year.map_or_else(|| "-".into(), |y| y.to_string());
            let code = if h.code.is_empty() { "-" } else { &h.code };
            writeln!(
                out,
                "{:6.2}  {code:<11} {year}  {:<6} {wage:>7}  {}  [{}]",
                h.score, h.city, h.title, h.posting_id
            )?;
            let snippet = h.snippet.replace("<b>", "【").replace("</b>", "】").replace(['\n', '\r'], " ");
            if !snippet.is_empty() {
                writeln!(out, "        {snippet}")?;
            }
        }
        if options.facets {
            for (title, facets) in [("occupation", &r.by_occupation), ("year", &r.by_year)] {
                writeln!(out, "by {title}:{:>14}{:>14}{:>12}", "postings", "median wage", "with wage")?;
                for f in facets {
                    let median = f.median_wage.map_or("-".to_string(), |w| format!("{w:.0}"));
                    writeln!(out, "  {:<12}{:>12}{:>14}{:>12}", f.key, f.postings, median, f.with_wage)?;
                }
            }
        }
        Ok(())
    })
}
