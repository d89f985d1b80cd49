"""zhiye on Apache Spark: `zhiye run`'s classification pass, distributed.

    spark-submit [--master URL] [shipping options, see README.md] scripts/spark/zhiye_spark.py \
        --corpus PATH --out PATH [--config config/nightly.toml] [--aggregate-with BIN [--report]]

Reads the posting Parquet under `--corpus` (canonical schema, as `zhiye run` reads it; local, HDFS or S3
paths), and writes to `--out`:

- `classified/`: the classified postings, row for row what `zhiye run` writes to `out/current/classified/`
  (same `row` numbers and `dup_of` repost flags; unsigned columns as the signed types Spark has);
- `job.json`: what the job did (rows, reposts, parse rates, seconds per step, classifier builds per Python
  worker); `parse_rates.json`: the parse counts of the raw fields, as `zhiye run`'s summary keeps them;
- with `--aggregate-with BIN` (a `zhiye` binary on the driver, `--out` a driver-local path): `tables/`, the
  published tables, computed by `zhiye aggregate --classified` from the classified postings. They are
  byte-identical to a single-node run's (scripts/spark/README.md says why the aggregation is not Spark SQL).
  Beside them, `run_summary.json` counts the classified postings as `zhiye run` does (with the parse rates);
  with `--report`, `zhiye report --tables` then writes the HTML report to `tables/report/`.

The steps, each as `zhiye run` does it:

1. Corpus row numbers: files in path order (component by component, as Rust orders paths; the listing is
   Spark's own, no scan), `row = file index << 40 | row in file` (Spark's `_metadata.row_index`).
2. Reposts (`[dedup]`): `zhiye.dedup_keys` per posting, then the postings are hash-partitioned by key and
   each partition swept once by `zhiye.find_reposts` (reposts share a key, and the sweep's result depends only
   on the set of rows, so any partitioning gives the single-node answer).
3. Coding: the postings go through `mapInArrow` into `zhiye.Classifier.code_postings`, the same Rust code
   as `zhiye run`'s main pass, where they are read (the text is never shuffled). The classifier is built
   once per Python worker (`Classifier.shared`), from the taxonomy files and rules file shipped with
   `SparkContext.addFile`. The coded rows are then joined to their repost anchors (`dup_of`) by row.

Options come from the zhiye configuration file (`--config`, read by the wheel as `zhiye run` reads it): the
`[classify]`, `[dedup]` and `aggregate.ai_keywords` options, the taxonomy folder and the rules file (paths on
the driver).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from urllib.parse import unquote, urlparse

import pyarrow as pa
from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

import zhiye

# Columns of the canonical posting schema the coding reads (the rest are not read).
INPUT_COLUMNS = [
    "posting_id", "platform", "posted_at", "title", "description", "city", "industry",
    "salary_text", "experience_text", "education_text", "headcount_text", "true_code",
]
REQUIRED = INPUT_COLUMNS[:5]
DEDUP_COLUMNS = ["company", "title", "city"]
# What `zhiye.Classifier` reads from the taxonomy folder.
TAXONOMY_FILES = ["csco22.csv", "cncity.csv", "stopwords.txt"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True, help="folder of posting Parquet files (local, hdfs://, s3a://)")
    p.add_argument("--out", required=True, help="output folder: classified/, job.json, tables/")
    p.add_argument("--config", help="zhiye configuration file (default: zhiye's defaults)")
    p.add_argument("--aggregate-with", metavar="BIN", help="zhiye binary: also write tables/ with `zhiye aggregate`")
    p.add_argument("--repost-partitions", type=int, default=0,
                   help="partitions of the repost sweep (default: spark.sql.shuffle.partitions)")
    p.add_argument("--broadcast-reposts", type=int, default=4_000_000, metavar="N",
                   help="up to N reposts (16 bytes each) are broadcast to the coding tasks, which then join "
                        "without a shuffle; more are joined by a shuffle of the coded rows (default 4,000,000)")
    p.add_argument("--report", action="store_true", help="with --aggregate-with: also write the HTML report")
    return p.parse_args(argv)


def file_numbers(spark, postings):
    """A DataFrame (path, file) numbering the corpus files in path order; `path` is the URI's decoded path,
    since the driver's listing and `_metadata.file_path` spell a URI differently (file:/// and file:/)."""
    paths = sorted((unquote(urlparse(uri).path) for uri in postings.inputFiles()), key=lambda p: p.split("/"))
    if len(paths) >= 1 << 24:
        raise SystemExit(f"{len(paths)} files: row numbers hold at most 2^24 files")
    return spark.createDataFrame(list(zip(paths, range(len(paths)))), "path string, file long"), len(paths)


def reposts(postings, window_days, partitions):
    """(row, dup_of) of every repost, swept partition by partition of the dedup key."""
    keys_schema = "key long, posted_at date, row long"

    def keys(batches):
        for b in batches:
            k = zhiye.dedup_keys(b.column("company"), b.column("title"), b.column("city"))
            yield pa.RecordBatch.from_arrays([k, b.column("posted_at"), b.column("row")],
                                             names=["key", "posted_at", "row"])

    def sweep(batches):
        # One call per partition: every row of a key is in the partition.
        batches = [b for b in batches if b.num_rows]
        if batches:
            table = pa.Table.from_batches(batches).combine_chunks()
            yield zhiye.find_reposts(table.to_batches()[0], window_days)

    keyed = (postings.select(*DEDUP_COLUMNS, "posted_at", "row")
             .mapInArrow(keys, keys_schema)
             .where(F.col("key").isNotNull()))
    keyed = keyed.repartition(partitions, "key") if partitions else keyed.repartition("key")
    return keyed.mapInArrow(sweep, "row long, dup_of long")


# The fields `zhiye.parse_rates` counts, in the order of its columns.
RATE_FIELDS = ["education", "experience", "headcount", "salary"]


def parse_rates(raw):
    """The parse counts of the raw fields, as `zhiye run`'s summary keeps them: `zhiye.parse_rates` per
    batch, summed (an action, so each row counts once whatever tasks are retried)."""
    texts = [f"{f}_text" for f in RATE_FIELDS if f"{f}_text" in raw.columns]
    names = [f"{f}_{k}" for f in RATE_FIELDS for k in ("non_empty", "parsed")]
    totals = dict.fromkeys(names, 0)
    if texts:
        def rates(batches):
            for b in batches:
                yield zhiye.parse_rates(b)

        row = (raw.select(*texts).mapInArrow(rates, ", ".join(f"{n} long" for n in names))
               .agg(*[F.sum(n).alias(n) for n in names]).first())
        totals = {n: row[n] or 0 for n in names}
    fields = {f: {"non_empty": totals[f"{f}_non_empty"], "parsed": totals[f"{f}_parsed"]} for f in RATE_FIELDS}
    # AI mentions are in the classified postings (`ai_mention`): `zhiye aggregate` counts them there.
    return {"fields": fields, "ai_mentions": 0}


def main(argv):
    args = parse_args(argv)
    local_out = "://" not in args.out
    if args.report and not args.aggregate_with:
        raise SystemExit("--report needs --aggregate-with")
    if args.aggregate_with and not local_out:
        raise SystemExit("--aggregate-with needs a driver-local --out (zhiye reads local files)")
    options = zhiye.read_config(args.config)
    spark = SparkSession.builder.appName("zhiye").getOrCreate()
    sc = spark.sparkContext
    started = time.monotonic()
    seconds = {}

    # The taxonomy files and rules file go to every executor with the job, into
    # its SparkFiles folder (Spark ships files, not local folders).
    taxonomy = os.path.abspath(options["taxonomy_dir"])
    for name in TAXONOMY_FILES:
        sc.addFile(os.path.join(taxonomy, name))
    rules = options["rules"] and os.path.abspath(options["rules"])
    if rules:
        sc.addFile(rules)
    classifier_args = dict(
        top_k=options["top_k"], description_weight=options["description_weight"],
        level_threshold=options["level_threshold"], ai_keywords=options["ai_keywords"],
    )
    rules_name = rules and os.path.basename(rules)

    # The input columns every file has (as `zhiye run`: optional ones only when present).
    raw = spark.read.option("mergeSchema", "false").parquet(args.corpus)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise SystemExit(f"{args.corpus}: no column {', '.join(missing)} (canonical posting schema expected)")
    columns = [c for c in INPUT_COLUMNS if c in raw.columns]

    t = time.monotonic()
    files, n_files = file_numbers(spark, raw)
    postings = (raw.select(*columns, *[c for c in DEDUP_COLUMNS if c not in columns],
                           F.expr("url_decode(parse_url(_metadata.file_path, 'PATH'))").alias("path"),
                           "_metadata.row_index")
                .join(F.broadcast(files), "path")
                .withColumn("row", F.shiftleft("file", 40).bitwiseOR(F.col("row_index")))
                .drop("path", "file", "row_index"))
    seconds["number_files"] = time.monotonic() - t

    built = sc.accumulator(0)
    batches = sc.accumulator(0)

    # The output schema: code_postings on no rows of this input.
    empty = pa.RecordBatch.from_pylist([], schema=pa.schema(
        [pa.field(c, pa.date32() if c == "posted_at" else pa.string()) for c in columns]
        + [pa.field("row", pa.int64())]))
    local = zhiye.Classifier(taxonomy, rules, **classifier_args)
    out_schema = local.code_postings(empty, spark_types=True).schema

    def code(batch_iter):
        before = zhiye.classifiers_built()
        clf = zhiye.Classifier.shared(SparkFiles.getRootDirectory(),
                                      rules_name and SparkFiles.get(rules_name), **classifier_args)
        built.add(zhiye.classifiers_built() - before)
        n = k = 0
        for b in batch_iter:
            batches.add(1)
            n, k = n + b.num_rows, k + 1
            yield clf.code_postings(b, spark_types=True)
        # One line per task in the executor's log.
        print(f"zhiye: coded {n} postings in {k} batches (python worker {os.getpid()})", file=sys.stderr, flush=True)

    # Coding reads the postings where they lie (no shuffle of the text); the
    # repost anchors join the narrower coded rows afterwards.
    coded = postings.select(*columns, "row").mapInArrow(code, from_arrow_schema(out_schema))
    if options["dedup_enabled"]:
        t = time.monotonic()
        sc.setJobDescription("zhiye: find reposts")
        pairs = reposts(postings, options["window_days"], args.repost_partitions).cache()
        n_pairs = pairs.count()
        seconds["reposts"] = time.monotonic() - t
        if n_pairs <= args.broadcast_reposts:
            pairs = F.broadcast(pairs)
        coded = coded.drop("dup_of").join(pairs, "row", "left").select(*out_schema.names)

    t = time.monotonic()
    classified = os.path.join(args.out, "classified")
    sc.setJobDescription("zhiye: classify and write")
    coded.write.mode("overwrite").parquet(classified)
    seconds["classify_and_write"] = time.monotonic() - t

    t = time.monotonic()
    written = spark.read.parquet(classified)
    counts = written.agg(F.count("*").alias("rows"), F.count("dup_of").alias("reposts")).first()
    seconds["count"] = time.monotonic() - t

    t = time.monotonic()
    sc.setJobDescription("zhiye: parse rates")
    rates = parse_rates(raw)
    seconds["parse_rates"] = time.monotonic() - t

    summary = {
        "corpus": args.corpus, "files": n_files, "rows": counts["rows"], "reposts": counts["reposts"],
        "parse_rates": rates["fields"],
        "classifier_builds": built.value, "batches": batches.value,
        "executors_at_end": sc._jsc.sc().getExecutorMemoryStatus().size() - 1,  # the driver is listed too
        "default_parallelism": sc.defaultParallelism, "options": options,
    }
    spark.stop()

    if local_out:
        with open(os.path.join(args.out, "parse_rates.json"), "w") as f:
            json.dump(rates, f, indent=2)
    if args.aggregate_with:
        t = time.monotonic()
        tables = os.path.join(args.out, "tables")
        config = ["--config", args.config] if args.config else []
        cmd = [args.aggregate_with, "aggregate", "--classified", classified, "--out", tables,
               "--parse-rates", os.path.join(args.out, "parse_rates.json"), *config]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        seconds["aggregate"] = time.monotonic() - t
        if args.report:
            t = time.monotonic()
            subprocess.run([args.aggregate_with, "report", "--tables", tables, *config], check=True,
                           stdout=subprocess.DEVNULL)
            seconds["report"] = time.monotonic() - t
    seconds["total"] = time.monotonic() - started
    summary["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    if local_out:
        with open(os.path.join(args.out, "job.json"), "w") as f:
            json.dump(summary, f, indent=2, ensure_ascii=False)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
