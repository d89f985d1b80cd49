#!/usr/bin/env python3
"""`zhiye bench --compare-duckdb`: zhiye's aggregation statements, run in DuckDB.

zhiye writes the statements it runs in DataFusion (zhiye_agg::queries, in order) as
JSON, and the `levels` table as Parquet. This script creates the view `postings` over
the same classified Parquet files, loads `levels`, and runs every statement as
`CREATE OR REPLACE TABLE name AS ...`, on the given number of threads; the time covers
all of it. It then writes, as JSON, the seconds, the rows of each published table and
`occupation_year` at the fine level (postings, vacancies, wage observations and median),
which zhiye checks against its own.

The one dialect setting: DataFusion divides integers as integers, DuckDB's `/` divides
them as floats unless `integer_division` is set; the packed keys of the wage bins are
split with `/` and `%`.
"""
import argparse
import json
import os
import time

import duckdb


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--queries", required=True, help="JSON list of {name, sql, role}")
    p.add_argument("--postings", required=True, help="folder of classified Parquet (searched recursively)")
    p.add_argument("--levels", required=True, help="the levels table, Parquet")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--out", required=True, help="JSON result")
    a = p.parse_args()
    with open(a.queries, encoding="utf-8") as f:
        queries = json.load(f)

    con = duckdb.connect()  # in memory
    con.execute(f"SET threads = {int(a.threads)}")
    con.execute("SET integer_division = true")
    files = os.path.join(os.path.abspath(a.postings), "**", "*.parquet")
    start = time.perf_counter()
    # The month=YYYY-MM folders are not partition columns: the files hold `month` themselves.
    con.execute(f"CREATE VIEW postings AS SELECT * FROM read_parquet({quote(files)}, hive_partitioning = false)")
    con.execute(f"CREATE TABLE levels AS SELECT * FROM read_parquet({quote(os.path.abspath(a.levels))})")
    for q in queries:
        con.execute(f"CREATE OR REPLACE TABLE {q['name']} AS {q['sql']}")
    seconds = time.perf_counter() - start

    rows = {q["name"]: con.execute(f"SELECT COUNT(*) FROM {q['name']}").fetchone()[0]
            for q in queries if q["role"] == "table"}
    fine = con.execute(
        "SELECT code, CAST(year AS BIGINT), CAST(postings AS BIGINT), CAST(vacancies AS BIGINT), "
        "CAST(wage_n AS BIGINT), wage_median FROM occupation_year WHERE level = 'fine'").fetchall()
    result = {
        "duckdb": duckdb.__version__,
        "threads": a.threads,
        "seconds": seconds,
        "rows": rows,
        "occupation_year_fine": [list(r) for r in fine],
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    print(f"duckdb {duckdb.__version__}: {len(queries)} statements on {a.threads} threads in {seconds:.3f} s")


if __name__ == "__main__":
    main()
