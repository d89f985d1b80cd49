"""Measures the Spark job beside the native CLI, for scripts/spark/README.md (slow; not part of `make test`).

    .venv-py/bin/python scripts/spark/measure.py [--postings 500000] [--keep DIR]

On one synthetic corpus, side by side in one run:
- `zhiye run` with 1 and 2 threads (the native single-node pass);
- the wheel's `code_postings` in this Python process, one thread (the Python hop without Spark);
- the Spark job on a standalone cluster of 1 and of 2 one-core workers (spark defaults otherwise);
- the aggregation of the job's output by `zhiye aggregate`, beside one of its tables (vacancies and mean
  wage per occupation × year) written in Spark SQL, run twice with different shuffle partitions to see
  whether its floating-point sums come out the same;
- the memory a Python worker's classifier takes.
Prints a Markdown table. Environment: ZHIYE_BIN as for the tests.
"""

import argparse
import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "spark"))
from cluster import Cluster  # noqa: E402

BIN = os.environ.get("ZHIYE_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "zhiye")
JOB = os.path.join(ROOT, "scripts", "spark", "zhiye_spark.py")
TAXONOMY = os.path.join(ROOT, "data", "ocd2022")
RULES = os.path.join(ROOT, "config", "rules.toml")

SPARK_SQL_TABLE = """
SELECT code, year, SUM(CASE WHEN dup_of IS NULL THEN COALESCE(headcount, 1) ELSE 0 END) AS vacancies,
       AVG(CASE WHEN dup_of IS NULL AND wage > 0 THEN wage END) AS mean_wage
FROM classified GROUP BY code, year ORDER BY code, year
"""


def write_config(tmp, corpus, out, name):
    threads = int(name[0])
    path = os.path.join(tmp, f"zhiye-{name}.toml")
    with open(path, "w") as f:
        f.write(f'[taxonomy]\ndir = {json.dumps(TAXONOMY)}\n[corpus]\ndir = {json.dumps(corpus)}\n'
                f'generate_postings = 0\n[classify]\nrules = {json.dumps(RULES)}\nthreads = {threads}\n'
                f'[exposure]\nlabels = {json.dumps(os.path.join(tmp, "labels.csv"))}\n'
                f'[output]\ndir = {json.dumps(out)}\nreport = false\n')
    return path


class SessionCpu(threading.Thread):
    """CPU seconds of every process in the given sessions, sampled from /proc every 0.1 s (per process the
    last cumulative user + system time seen). Spark's processes are not all reaped by their parents when a
    cluster stops, so the rusage of children would miss some of them."""

    def __init__(self, sessions):
        super().__init__(daemon=True)
        self.sessions, self.cpu, self.stopped = sessions, {}, threading.Event()

    def sample(self):
        sessions = set(self.sessions())
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # After the command: state, ppid, pgrp, session, …, utime (14th field), stime (15th).
            if int(fields[3]) in sessions:
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(self):
        while not self.stopped.wait(0.1):
            self.sample()

    def total(self):
        self.stopped.set()
        self.join()
        return sum(self.cpu.values())


def cpu_of_children():
    """CPU seconds (user + system) of the finished child processes and their waited-for descendants."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli_run(tmp, corpus, threads, name=""):
    out = os.path.join(tmp, f"single-{threads}{name}")
    shutil.rmtree(out, ignore_errors=True)  # a first run: kept results would skip the work
    cfg = write_config(tmp, corpus, out, f"{threads}{name}")
    cpu, t = cpu_of_children(), time.monotonic()
    r = subprocess.run([BIN, "run", "--config", cfg, "--format", "json"], capture_output=True, text=True, check=True)
    return time.monotonic() - t, cpu_of_children() - cpu, json.loads(r.stdout), cfg


def wheel_in_process(corpus, limit):
    import pyarrow as pa
    import zhiye
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.monotonic()
    clf = zhiye.Classifier(TAXONOMY, RULES)
    build = time.monotonic() - t
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    n, seconds = 0, 0.0
    for i, path in enumerate(sorted(glob.glob(os.path.join(corpus, "**", "*.parquet"), recursive=True))):
        for b in pq.read_table(path).to_batches(max_chunksize=10_000):
            b = b.append_column("row", pa.array(range(n, n + b.num_rows), pa.int64()))
            t = time.monotonic()
            clf.code_postings(b, spark_types=True)
            seconds += time.monotonic() - t
            n += b.num_rows
        if n >= limit:
            break
    return n / seconds, build, grown


def spark_job(tmp, corpus, cfg, workers, name=""):
    out = os.path.join(tmp, f"spark-{workers}{name}")
    c = Cluster(workers=workers, root=os.path.join(tmp, f"cluster-{workers}{name}"))
    sessions = []
    sampler = SessionCpu(lambda: [p.pid for _, p in c.procs] + sessions)
    sampler.start()
    with c:  # the cluster's start-up is counted too
        t = time.monotonic()
        p = c.popen([JOB, "--corpus", corpus, "--out", out, "--config", cfg, "--aggregate-with", BIN],
                    start_new_session=True)
        sessions.append(p.pid)
        _, stderr = p.communicate()
        wall = time.monotonic() - t
        sampler.sample()
        if p.returncode != 0:
            raise SystemExit(f"spark job with {workers} workers failed:\n{stderr[-3000:]}")
    cpu = sampler.total()
    sql = None
    if workers == 2 and not name:
        with Cluster(workers=workers, root=os.path.join(tmp, "cluster-sql")) as c:
            sql = spark_sql_table(c, out)
    with open(os.path.join(out, "job.json")) as f:
        return wall, cpu, json.load(f), sql


def spark_sql_table(cluster, out):
    """Times the Spark SQL table (twice, 2 and 7 shuffle partitions) and counts rows whose doubles differ."""
    script = os.path.join(out, "sql_table.py")
    with open(script, "w") as f:
        f.write(f"""
import json, sys, time
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("zhiye-sql").getOrCreate()
spark.read.parquet({json.dumps(os.path.join(out, "classified"))}).createOrReplaceTempView("classified")
runs = []
for parts in (2, 7):
    spark.conf.set("spark.sql.shuffle.partitions", parts)
    spark.conf.set("spark.sql.adaptive.enabled", "false")
    t = time.monotonic()
    rows = [tuple(r) for r in spark.sql({json.dumps(SPARK_SQL_TABLE)}).collect()]
    runs.append((time.monotonic() - t, rows))
diff = sum(a != b for a, b in zip(runs[0][1], runs[1][1]))
print(json.dumps({{"seconds": [runs[0][0], runs[1][0]], "rows": len(runs[0][1]), "differing_rows": diff}}))
""")
    r = cluster.submit([script])
    if r.returncode != 0:
        raise SystemExit(f"spark sql failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--postings", type=int, default=500_000)
    p.add_argument("--keep", help="work folder to keep (default: a temporary one, removed)")
    a = p.parse_args()
    tmp = a.keep or tempfile.mkdtemp(prefix="zhiye-spark-measure-")
    os.makedirs(tmp, exist_ok=True)
    corpus = os.path.join(tmp, "corpus")
    if not os.path.isdir(corpus):
        subprocess.run([BIN, "generate", "--postings", str(a.postings), "--seed", "5", "--taxonomy", TAXONOMY,
                        "--out", corpus], check=True, stdout=subprocess.DEVNULL)
    n = a.postings
    rows = []
    for threads in (1, 2):
        wall, cpu, s, cfg = cli_run(tmp, corpus, threads)
        rows.append((f"zhiye run, {threads} thread(s)", wall, cpu,
                     f"main pass {s['classify_seconds']:.1f} s, aggregation {s.get('aggregate_seconds', 0):.1f} s"))
    rate, build, grown = wheel_in_process(corpus, min(n, 200_000))
    rows.append(("wheel code_postings in this process, 1 thread", None, None,
                 f"{rate:,.0f} postings/s ({1e6 / rate:.1f} µs each) excluding Parquet I/O; classifier built in "
                 f"{build:.2f} s, +{grown:.0f} MB RSS"))
    sql = None
    for workers in (1, 2):
        wall, cpu, job, s = spark_job(tmp, corpus, cfg, workers)
        sql = s or sql
        sec = job["seconds"]
        rows.append((f"Spark job, {workers} one-core worker(s)", wall, cpu,
                     f"classify+write {sec['classify_and_write']:.1f} s, zhiye aggregate {sec['aggregate']:.2f} s, "
                     f"{job['classifier_builds']} classifier builds / {job['batches']} batches"))
    print(f"\n{n} synthetic postings; one run each, side by side on this machine ({os.cpu_count()} cores)\n")
    print("| run | wall s | postings/s | CPU s | µs CPU per posting | notes |\n|---|---|---|---|---|---|")
    for name, wall, cpu, notes in rows:
        if wall is None:
            print(f"| {name} | | | | | {notes} |")
        else:
            print(f"| {name} | {wall:.1f} | {n / wall:,.0f} | {cpu:.1f} | {1e6 * cpu / n:.1f} | {notes} |")
    # The marginal cost per posting: the same runs on a fifth of the postings, the difference divided out.
    small = os.path.join(tmp, "corpus-small")
    if not os.path.isdir(small):
        subprocess.run([BIN, "generate", "--postings", str(n // 5), "--seed", "6", "--taxonomy", TAXONOMY,
                        "--out", small], check=True, stdout=subprocess.DEVNULL)
    _, cli_small, _, cfg_small = cli_run(tmp, small, 1, "-small")
    _, spark_small, _, _ = spark_job(tmp, small, cfg_small, 1, "-small")
    cli_cpu, spark_cpu = rows[0][2], rows[3][2]
    marginal = 1e6 / (n - n // 5)
    print(f"\nMarginal CPU per posting (runs on {n} and {n // 5} postings, difference divided out, start-up "
          f"excluded): zhiye run 1 thread {marginal * (cli_cpu - cli_small):.1f} µs, Spark job 1 worker "
          f"{marginal * (spark_cpu - spark_small):.1f} µs (fixed cost of a Spark submission here: "
          f"{spark_small - (spark_cpu - spark_small) / 4:.0f} CPU s).")
    if sql:
        print(f"\nSpark SQL, one table (vacancies and mean wage per code × year, {sql['rows']} rows): "
              f"{sql['seconds'][0]:.2f} s with 2 shuffle partitions, {sql['seconds'][1]:.2f} s with 7; "
              f"{sql['differing_rows']} rows differ between the two (floating-point sums in another order).")
    if not a.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
