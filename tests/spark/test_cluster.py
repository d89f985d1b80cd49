"""The Spark job (scripts/spark/zhiye_spark.py) on a real standalone cluster, against `zhiye run`.

Run by `make test-spark` (part of `make test`), with the venv `scripts/build_wheel.sh` fills (the `zhiye`
wheel, pinned `pyspark`, `pyarrow`, `pandas`):

    .venv-py/bin/python tests/spark/test_cluster.py

1. A synthetic corpus (`zhiye generate`, POSTINGS postings in 72 month files, reposts included) goes through
   `zhiye run` on one node: the reference.
2. A master and two one-core workers start on 127.0.0.1 (all state in a temporary folder); the job runs there.
   Its classified postings must equal the reference's row for row (every column, with the `row` numbers and
   `dup_of` repost flags), and the tables `zhiye aggregate --classified` makes of them must be
   byte-identical to the published ones, their `run_summary.json` must hold the run's counts (rows,
   methods, levels, rules, parse rates, confidences, reposts) and `--report` must write the HTML report.
   The classifier must be built once per Python worker, not per batch.
3. Incremental (`--state`): the corpus without two files of the middle, then with them back (the files after
   them change row numbers) and a killed run's uncommitted task output left in the state, then with one file
   touched: each run must code only the new or changed files, drop the rows of the replaced key, and give the
   reference's outputs.
4. Again on a fresh cluster, but worker 1 (with its executor and Python workers) is SIGKILLed as soon as an
   executor logs its first coded task: Spark must run the lost tasks on the other worker, and the outputs
   must still equal the reference.

Environment: ZHIYE_BIN (default $CARGO_TARGET_DIR/release/zhiye, else target/release/zhiye),
ZHIYE_SPARK_POSTINGS (default 150000). Exits 1 on any failure; the cluster's logs stay in the temporary
folder it names.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "spark"))
from cluster import Cluster  # noqa: E402

BIN = os.environ.get("ZHIYE_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "zhiye")
JOB = os.path.join(ROOT, "scripts", "spark", "zhiye_spark.py")
POSTINGS = int(os.environ.get("ZHIYE_SPARK_POSTINGS", "150000"))
# Enough coding tasks for the kill to land mid-stage, and several Arrow batches per task.
SPARK_CONF = ["--conf", "spark.sql.files.maxPartitionBytes=4m", "--conf", "spark.sql.shuffle.partitions=16",
              "--conf", "spark.sql.execution.arrow.maxRecordsPerBatch=2000"]


def zhiye_cli(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True)
    assert r.returncode == 0, f"zhiye {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"
    return r.stdout


def read_classified(folder):
    """Every classified row under `folder`, in the CLI's types, sorted by row."""
    files = sorted(glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True))
    assert files, f"no Parquet under {folder}"
    return pa.concat_tables([pq.read_table(f) for f in files]).sort_by("row")


def assert_same_rows(spark, reference):
    assert spark.num_rows == reference.num_rows, (spark.num_rows, reference.num_rows)
    assert spark.column_names == reference.column_names, (spark.column_names, reference.column_names)
    for name in reference.column_names:
        want = reference[name].combine_chunks()
        got = spark[name].combine_chunks()
        if got.type != want.type:  # Spark's signed integers hold the CLI's unsigned ones
            got = pc.cast(got, want.type)
        if not got.equals(want):
            diff = pc.sum(pc.invert(pc.fill_null(pc.equal(got, want), False))).as_py() if pa.types.is_primitive(
                want.type) else "some"
            raise AssertionError(f"column {name}: {diff} rows differ from zhiye run's")


# What `zhiye aggregate --classified` counts again from the classified postings (and the parse rates the job
# passes it): the run summary's figures, not its timings or partitions.
RECOUNTED = ["rows_in", "classified", "unclassified", "true_code_agreement", "methods", "levels", "rules_applied",
             "parse_rates", "confidence_histogram"]


def assert_same_summary(spark_tables, single):
    with open(os.path.join(spark_tables, "run_summary.json")) as f:
        got = json.load(f)
    for key in RECOUNTED:
        assert got[key] == single[key], f"run_summary.json {key}: {got[key]} != zhiye run's {single[key]}"
    assert got["reposts"]["duplicates"] == single["reposts"]["duplicates"], (got["reposts"], single["reposts"])


def assert_same_tables(spark_tables, published):
    # The summary is compared by its counts; the report is checked apart.
    names = sorted(n for n in os.listdir(spark_tables) if n not in ("run_summary.json", "report"))
    assert names, f"no tables in {spark_tables}"
    for name in names:
        with open(os.path.join(spark_tables, name), "rb") as a, open(os.path.join(published, name), "rb") as b:
            assert a.read() == b.read(), f"table {name} differs from zhiye run's"
    return names


def coded_tasks(cluster):
    """Coding tasks finished so far, from the line the job logs per task in each executor's stderr."""
    n = 0
    for log in glob.glob(os.path.join(cluster.root, "worker-*", "app-*", "*", "stderr")):
        with open(log, errors="replace") as f:
            n += f.read().count("zhiye: coded ")
    return n


def job_args(corpus, out, config, report=False, state=None):
    return [*SPARK_CONF, JOB, "--corpus", corpus, "--out", out, "--config", config, "--aggregate-with", BIN,
            *(["--report"] if report else []), *(["--state", state] if state else [])]


def check_outputs(out, reference, published, single):
    assert os.path.exists(os.path.join(out, "classified", "_SUCCESS")), "the job did not commit its output"
    assert_same_rows(read_classified(os.path.join(out, "classified")), reference)
    tables = assert_same_tables(os.path.join(out, "tables"), published)
    assert_same_summary(os.path.join(out, "tables"), single)
    with open(os.path.join(out, "job.json")) as f:
        return json.load(f), tables


def main():
    tmp = tempfile.mkdtemp(prefix="zhiye-spark-test-")
    failures = 0
    print(f"test_cluster: state in {tmp}")
    corpus = os.path.join(tmp, "corpus")
    zhiye_cli("generate", "--postings", str(POSTINGS), "--seed", "11", "--taxonomy",
              os.path.join(ROOT, "data", "ocd2022"), "--out", corpus)
    config = os.path.join(tmp, "zhiye.toml")
    with open(config, "w") as f:
        f.write(f'[taxonomy]\ndir = {json.dumps(os.path.join(ROOT, "data", "ocd2022"))}\n'
                f'[corpus]\ndir = {json.dumps(corpus)}\ngenerate_postings = 0\n'
                f'[classify]\nrules = {json.dumps(os.path.join(ROOT, "config", "rules.toml"))}\n'
                f'[exposure]\nlabels = {json.dumps(os.path.join(tmp, "labels.csv"))}\n'
                f'[output]\ndir = {json.dumps(os.path.join(tmp, "single"))}\nreport = false\n')
    t = time.monotonic()
    single = json.loads(zhiye_cli("run", "--config", config, "--format", "json"))
    single_seconds = time.monotonic() - t
    published = os.path.join(tmp, "single", "current")
    reference = read_classified(os.path.join(published, "classified"))
    print(f"test_cluster: zhiye run: {reference.num_rows} rows, "
          f"{pc.sum(pc.is_valid(reference['dup_of'])).as_py()} reposts, {single_seconds:.1f} s")

    def test(name, f):
        nonlocal failures
        t = time.monotonic()
        try:
            f()
            print(f"ok   {name} ({time.monotonic() - t:.1f} s)")
        except Exception as e:  # noqa: BLE001 - report and go on to the next test
            failures += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")

    def two_workers():
        out = os.path.join(tmp, "spark")
        with Cluster(workers=2, root=os.path.join(tmp, "cluster-a")) as c:
            r = c.submit(job_args(corpus, out, config, report=True))
        assert r.returncode == 0, f"spark-submit exited with {r.returncode}:\n{r.stderr[-4000:]}"
        job, tables = check_outputs(out, reference, published, single)
        report = os.path.join(out, "tables", "report", "index.html")
        with open(report, encoding="utf-8") as f:
            assert f"{reference.num_rows} postings read" in f.read(), f"{report} does not count the postings"
        assert job["rows"] == reference.num_rows and job["executors_at_end"] == 2, job
        # Built once per Python worker (one per one-core executor, more only if Spark replaced a worker),
        # not once per batch.
        assert 1 <= job["classifier_builds"] <= 4 < job["batches"], job
        print(f"     {len(tables)} table files byte-identical; {job['classifier_builds']} classifier builds for "
              f"{job['batches']} batches; seconds {job['seconds']}")

    def incremental():
        part = os.path.join(tmp, "corpus-part")
        shutil.copytree(corpus, part)  # modification times kept
        files = sorted(glob.glob(os.path.join(part, "month=*", "*.parquet")))
        held = [(f, os.path.join(tmp, f"held-{i}.parquet")) for i, f in enumerate((files[10], files[40]))]
        for f, away in held:
            shutil.move(f, away)
        state = os.path.join(tmp, "state")
        with Cluster(workers=2, root=os.path.join(tmp, "cluster-c")) as c:
            def run(i):
                out = os.path.join(tmp, f"spark-incremental-{i}")
                r = c.submit(job_args(part, out, config, state=state))
                assert r.returncode == 0, f"spark-submit exited with {r.returncode}:\n{r.stderr[-4000:]}"
                with open(os.path.join(out, "job.json")) as f:
                    job = json.load(f)
                return out, (job["files_coded"], job["files_kept"], job["keys_dropped"]), job["seconds"]

            _, counts, first = run(0)
            assert counts == (len(files) - 2, 0, 0), counts
            # What a run killed while appending leaves: a task's output of a kept key, never committed. The next
            # append must not commit it beside its own (the file's rows would count twice).
            kept = sorted(glob.glob(os.path.join(state, "coded", "key=*")))
            leftover = os.path.join(state, "coded", "_temporary", "0", "task_202611270000_0001_m_000099",
                                    os.path.basename(kept[0]))
            os.makedirs(leftover)
            shutil.copy(sorted(glob.glob(os.path.join(kept[0], "*.parquet")))[0],
                        os.path.join(leftover, "part-99999-leftover.c000.snappy.parquet"))
            for f, away in held:
                shutil.move(away, f)
            out, counts, second = run(1)
            assert counts == (2, len(files) - 2, 0), counts
            check_outputs(out, reference, published, single)
            stat = os.stat(files[5])
            os.utime(files[5], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            out, counts, third = run(2)
            assert counts == (1, len(files) - 1, 1), counts
            check_outputs(out, reference, published, single)
        print(f"     coded {len(files) - 2} files, then 2 of {len(files)}, then 1 touched; outputs equal zhiye run's; "
              f"coding seconds {first['code_new_files']}, {second['code_new_files']}, {third['code_new_files']}; "
              f"classify and write {first['classify_and_write']}, {second['classify_and_write']}, "
              f"{third['classify_and_write']}")

    def killed_worker():
        out = os.path.join(tmp, "spark-killed")
        with Cluster(workers=2, root=os.path.join(tmp, "cluster-b")) as c:
            p = c.popen(job_args(corpus, out, config))
            deadline = time.monotonic() + 600
            while not coded_tasks(c):
                assert p.poll() is None, f"the job ended before coding: {p.stderr.read()[-4000:]}"
                assert time.monotonic() < deadline, "no task was coded in 10 minutes"
                time.sleep(0.02)
            executors = c.kill_worker(1)
            tasks_before = coded_tasks(c)
            finished_before = p.poll() is not None or os.path.exists(os.path.join(out, "classified", "_SUCCESS"))
            stdout, stderr = p.communicate(timeout=900)
        assert executors, "worker 1 had no executor to kill"
        assert not finished_before, "the job had finished before the kill: use more postings"
        assert p.returncode == 0, f"spark-submit exited with {p.returncode} after the kill:\n{stderr[-4000:]}"
        assert "Lost executor" in stderr or "ExecutorLostFailure" in stderr, \
            "the driver did not report the lost executor:\n" + stderr[-4000:]
        job, tables = check_outputs(out, reference, published, single)
        assert job["executors_at_end"] == 1, job
        print(f"     killed executor pid(s) {executors} after {tasks_before} coded task(s); lost tasks rerun; "
              f"{len(tables)} table files byte-identical; seconds {job['seconds']}")

    test("spark: two workers give zhiye run's classified rows and tables", two_workers)
    test("spark: incremental runs code only new or changed files", incremental)
    test("spark: a worker killed mid-job, outputs unchanged", killed_worker)
    print(f"test_cluster: {3 - failures} passed, {failures} failed")
    if failures == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
