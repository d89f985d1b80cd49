"""zhiye on Apache Spark: `zhiye run`'s classification pass, distributed.

    spark-submit [--master URL] [shipping options, see README.md] scripts/spark/zhiye_spark.py \
        --corpus PATH --out PATH [--config config/nightly.toml] [--state PATH] [--aggregate-with BIN [--report]]

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

With `--state PATH` (kept between runs, local, HDFS or S3) the job is incremental as `zhiye run` is: each input
file's coded rows are kept under `PATH/coded/key=<key>/`, the key a digest of the file (path, size, modification
time) and of the classification (the wheel's native library, the taxonomy files, the rules file, the options).
A run codes only the files whose key is not kept, then assembles every file's rows with this run's row numbers
(file order may have changed) and repost flags (reposts cross files: they are found again over the whole corpus,
from four narrow columns). Keys no current file has are deleted once the output is written.

Options come from the zhiye configuration file (`--config`, read by the wheel as `zhiye run` reads it): the
`[classify]`, `[dedup]` and `aggregate.ai_keywords` options, the taxonomy folder and the rules file (paths on
the driver).
"""

import argparse
import glob
import hashlib
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
    p.add_argument("--state", help="folder kept between runs (local, hdfs://, s3a://): each file's coded rows, "
                                   "so that a run codes only new or changed files")
    return p.parse_args(argv)


def file_path():
    """A row's file (`path`), spelled as `decoded_path` spells the listing's URIs."""
    return F.expr("url_decode(parse_url(_metadata.file_path, 'PATH'))").alias("path")


def decoded_path(uri):
    """The URI's decoded path: the driver's listing and `_metadata.file_path` spell a URI differently (file:///
    and file:/)."""
    return unquote(urlparse(uri).path)


def corpus_files(postings):
    """The corpus files' URIs in path order (component by component, as `zhiye run` orders them)."""
    uris = sorted(postings.inputFiles(), key=lambda u: decoded_path(u).split("/"))
    if len(uris) >= 1 << 24:
        raise SystemExit(f"{len(uris)} files: row numbers hold at most 2^24 files")
    return uris


def file_numbers(spark, uris):
    """A DataFrame (path, file) numbering the corpus files in path order."""
    return spark.createDataFrame([(decoded_path(u), i) for i, u in enumerate(uris)], "path string, file long")


def fingerprint(taxonomy, rules, classifier_args):
    """A digest of what coding depends on besides the file: the wheel's native library, the taxonomy files,
    the rules file and the options (as `zhiye run`'s fingerprint)."""
    h = hashlib.sha256(json.dumps(classifier_args, sort_keys=True).encode())
    native = sorted(glob.glob(os.path.join(os.path.dirname(zhiye.__file__), "*.so")))
    for path in [*native, *(os.path.join(taxonomy, n) for n in TAXONOMY_FILES), rules]:
        if path:
            with open(path, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def hadoop_fs(sc, uri):
    """The Hadoop FileSystem and Path of a URI (local, HDFS, S3 alike)."""
    path = sc._jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(sc._jsc.hadoopConfiguration()), path


def file_keys(sc, uris, classification):
    """Per corpus file: the key of its coded rows (`k` and a hex digest, so that partition discovery reads it
    as a string): its path, size and modification time, and the classification's fingerprint."""
    keys = []
    for uri in uris:
        fs, path = hadoop_fs(sc, uri)
        status = fs.getFileStatus(path)
        text = f"{classification}\0{decoded_path(uri)}\0{status.getLen()}\0{status.getModificationTime()}"
        keys.append("k" + hashlib.sha256(text.encode()).hexdigest()[:24])
    return keys


def kept_keys(sc, coded):
    """The keys whose coded rows the state folder holds."""
    fs, path = hadoop_fs(sc, coded)
    if not fs.exists(path):
        return set()
    return {s.getPath().getName()[len("key="):] for s in fs.listStatus(path)
            if s.isDirectory() and s.getPath().getName().startswith("key=")}


def drop_keys(sc, coded, keys):
    """Deletes the coded rows of `keys` from the state folder."""
    for key in keys:
        fs, path = hadoop_fs(sc, f"{coded}/key={key}")
        fs.delete(path, True)


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


def code_incrementally(spark, state, uris, columns, code, out_schema, classification):
    """The coded rows of every corpus file, coding only the files whose key the state folder does not keep;
    row numbers are this run's (a file keeps its rows' numbers within it, `_metadata.row_index`)."""
    t = time.monotonic()
    sc = spark.sparkContext
    coded = state.rstrip("/") + "/coded"
    keys = file_keys(sc, uris, classification)
    kept = kept_keys(sc, coded)
    new = [(u, k) for u, k in zip(uris, keys) if k not in kept]
    if new:
        sc.setJobDescription(f"zhiye: code {len(new)} new or changed files")
        fresh = (spark.read.option("mergeSchema", "false").parquet(*[u for u, _ in new])
                 .select(*columns, file_path(), F.col("_metadata.row_index").alias("row"))
                 .join(F.broadcast(spark.createDataFrame([(decoded_path(u), k) for u, k in new],
                                                         "path string, key string")), "path")
                 .drop("path"))
        keyed = pa.schema([*out_schema, pa.field("key", pa.string())])
        # A run killed while appending leaves task outputs in `_temporary`, which the next append's commit would
        # move in beside its own: rows twice. Runs on one state folder do not overlap, so it can go.
        fs, pending = hadoop_fs(sc, f"{coded}/_temporary")
        fs.delete(pending, True)
        fresh.mapInArrow(code, from_arrow_schema(keyed)).write.partitionBy("key").mode("append").parquet(coded)
    info = {"coded": coded, "keys": keys, "files_coded": len(new), "seconds": time.monotonic() - t}
    # A file without rows leaves no folder: nothing to read (and it is coded again, for nothing, next time).
    present = kept_keys(sc, coded)
    paths = [f"{coded}/key={k}" for k in keys if k in present]
    if not paths:
        return spark.createDataFrame([], from_arrow_schema(out_schema)), info
    numbers = spark.createDataFrame([(k, i) for i, k in enumerate(keys)], "key string, file long")
    rows = (spark.read.option("basePath", coded).parquet(*paths)
            .join(F.broadcast(numbers), "key")
            .withColumn("row", F.shiftleft("file", 40).bitwiseOR(F.col("row")))
            .select(*out_schema.names))
    return rows, info


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
    uris = corpus_files(raw)
    n_files = len(uris)
    postings = (raw.select(*columns, *[c for c in DEDUP_COLUMNS if c not in columns], file_path(),
                           "_metadata.row_index")
                .join(F.broadcast(file_numbers(spark, uris)), "path")
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
            out = clf.code_postings(b, spark_types=True)
            if "key" in b.schema.names:  # rows kept in the state folder, by file key
                out = pa.RecordBatch.from_arrays([*out.columns, b.column("key")], names=[*out.schema.names, "key"])
            yield out
        # One line per task in the executor's log.
        print(f"zhiye: coded {n} postings in {k} batches (python worker {os.getpid()})", file=sys.stderr, flush=True)

    # Coding reads the postings where they lie (no shuffle of the text); the
    # repost anchors join the narrower coded rows afterwards.
    incremental, state_counts = {}, {}
    if args.state:
        coded, incremental = code_incrementally(spark, args.state, uris, columns, code, out_schema,
                                                fingerprint(taxonomy, rules, classifier_args))
        seconds["code_new_files"] = incremental["seconds"]
    else:
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
    if args.state:
        # Only now, with the output written: a failed run leaves the state as it found it, plus new files' rows.
        stale = kept_keys(sc, incremental["coded"]) - set(incremental["keys"])
        drop_keys(sc, incremental["coded"], stale)
        state_counts = {"files_coded": incremental["files_coded"],
                        "files_kept": n_files - incremental["files_coded"], "keys_dropped": len(stale)}

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
        "parse_rates": rates["fields"], **state_counts,
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
