"""Tests of the `zhiye` Python wheel (crates/zhiye-py) against the Rust CLI.

Run by `make test-py` with pytest (scripts/build_wheel.sh builds and installs the wheel and pytest into .venv-py
first):

    .venv-py/bin/python -m pytest tests/python

or as a script, without pytest: `.venv-py/bin/python tests/python/test_wheel.py`.

The reference is `zhiye run` itself: a 20,000-posting synthetic corpus (`zhiye generate`) plus a partition of
hand-written postings (会计, Java开发工程师, 护士, 普工, 快递员, an empty title …) is run through the CLI, and every
row's classification columns and parsed fields in `out/current/classified/` must equal what the wheel returns for
the same input rows. Also: pandas round trip, the parsers on sample strings, state kept between calls, threads,
pickling, errors; classify throughput of the wheel beside the CLI's main pass is printed, not asserted.

Environment: ZHIYE_BIN (default $CARGO_TARGET_DIR/release/zhiye, else target/release/zhiye).
As a script it ends with `test_wheel: N passed, N failed` and exits 1 on any failure.
"""

import datetime
import glob
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import zhiye

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TAXONOMY = os.path.join(ROOT, "data", "ocd2022")
RULES = os.path.join(ROOT, "config", "rules.toml")
BIN = os.environ.get("ZHIYE_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "zhiye"
)
GENERATED = 20_000

# Hand-written postings: (title, description, salary, experience, education, headcount).
SAMPLES = [
    ("会计", "负责公司日常账务处理，编制财务报表，办理纳税申报。", "8千-1.2万·13薪", "3-5年", "本科", "招3人"),
    ("Java开发工程师", "负责后端服务的设计与开发，熟悉Spring Boot、MySQL、Redis。", "15-25K", "3-5年", "本科及以上", "若干"),
    ("护士", "负责病房护理工作，持有护士执业资格证。", "5000-8000元/月", "1年以上", "大专", "招5人"),
    ("普工", "流水线操作，服从车间安排，长白班。", "4500-6000", "经验不限", "学历不限", "招20人"),
    ("快递员", "负责区域内快件的收取与派送，多劳多得。", "6千-1万", "不限", "初中", "10人"),
    ("", "岗位职责：完成领导交办的其他工作。", "面议", "", "", ""),
    ("【急招】北京会计（双休）", None, "1.2-2万·13薪", "5-10年", "本科", "招1人"),
    ("销售代表", "开发新客户，维护老客户关系，完成销售目标。", "底薪3000+提成", "1-3年", "中专/中技", "招10人"),
    ("前台", "负责来访接待、电话转接和快递收发。", "4000-5000元", "应届生", "大专", "1人"),
    ("保安", "负责小区巡逻、门岗值守。", "150元/天", "不限", "不限", "若干"),
    ("厨师", "负责后厨热菜制作，有川菜经验优先。", "6000-9000", "3年以上", "", "招2人"),
    ("幼儿教师", "负责幼儿园班级日常教学与保育工作。", "5-7千", "1-3年", "大专及以上", "招3人"),
    ("数据分析师", "负责业务数据分析，熟练使用SQL、Python，了解机器学习。", "2-3万", "3-5年", "硕士", "招2人"),
    ("电工", "负责厂区设备电路的安装与维修，持电工证。", "7000-10000", "5年以上", "高中", "招1人"),
    ("司机", "公司商务车驾驶，C1驾照，驾龄5年以上。", "6500", "5年以上", "不限", "1名"),
    ("平面设计师", "负责品牌物料、海报与电商页面设计，熟练使用PS、AI。", "8-12K", "1-3年", "本科", "招1人"),
    ("仓库管理员", "负责仓库出入库管理、盘点及单据录入。", "5000-6500", "1年以上", "高中以上", "招2人"),
    ("人力资源专员", "负责招聘、入离职手续办理和员工关系。", "6-8千", "1-3年", "本科", "招1人"),
    ("外卖骑手", "负责外卖配送，时间自由，日结。", "200-300元/天", "", "", "若干"),
    ("临床医生", "负责门诊及病房诊疗工作，具有执业医师资格。", "2-4万", "5-10年", "博士", "招2人"),
    ("asdfgh", "", "abc", "xyz", "xyz", "xyz"),
    (None, None, None, None, None, None),
]

CLASS_COLUMNS = ["code", "level", "score", "margin", "method", "rule", "top_k", "evidence"]
FIELD_COLUMNS = ["salary_min", "salary_max", "wage", "exp_min", "education", "headcount"]

TESTS = []


def case(f):
    """Registers a test for the script runner; pytest collects the same functions by name."""
    TESTS.append(f)
    return f


def zhiye_cli(cwd, *args):
    out = subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError(f"zhiye {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


class Reference:
    """The corpus (generated + samples), `zhiye run` over it with one thread, and its classified rows."""

    def __init__(self, tmp):
        self.tmp = tmp
        corpus = os.path.join(tmp, "corpus")
        zhiye_cli(tmp, "generate", "--postings", str(GENERATED), "--seed", "7", "--threads", "1",
                  "--taxonomy", TAXONOMY, "--out", corpus)
        files = sorted(glob.glob(os.path.join(corpus, "month=*", "*.parquet")))
        schema = pq.read_schema(files[0])
        day = datetime.date(2024, 6, 15)
        rows = [dict(posting_id=f"sample-{i:02}", platform="zhilian", posted_at=day, title=t, description=d,
                     company=f"样例公司{i}", city="北京", industry="服务业", salary_text=s, experience_text=e,
                     education_text=ed, headcount_text=h, true_code=None)
                for i, (t, d, s, e, ed, h) in enumerate(SAMPLES)]
        os.makedirs(os.path.join(corpus, "month=2024-06"), exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), os.path.join(corpus, "month=2024-06", "samples.parquet"))
        self.files = files + [os.path.join(corpus, "month=2024-06", "samples.parquet")]
        cfg = os.path.join(tmp, "zhiye.toml")
        with open(cfg, "w") as f:
            f.write(f'[taxonomy]\ndir = {json.dumps(TAXONOMY)}\n[corpus]\ndir = "corpus"\ngenerate_postings = 0\n'
                    f'[classify]\nrules = {json.dumps(RULES)}\nthreads = 1\n[output]\ndir = "out"\nreport = false\n')
        self.summary = json.loads(zhiye_cli(tmp, "run", "--config", cfg, "--format", "json"))
        classified = sorted(glob.glob(os.path.join(tmp, "out", "current", "classified", "**", "*.parquet"),
                                      recursive=True))
        table = pa.concat_tables([pq.read_table(p, columns=["posting_id"] + CLASS_COLUMNS + FIELD_COLUMNS)
                                  for p in classified])
        self.rows = {r["posting_id"]: r for r in table.to_pylist()}
        assert len(self.rows) == GENERATED + len(SAMPLES), (len(self.rows), self.summary["rows_in"])

    def batches(self):
        for p in self.files:
            yield from pq.read_table(p).to_batches()


def classifier():
    return zhiye.Classifier(TAXONOMY, RULES)


STATE = {}


def reference():
    if "ref" not in STATE:
        try:
            STATE["ref"] = Reference(STATE["tmp"])
        except Exception as e:  # built once: later tests fail with the same cause, without redoing the run
            STATE["ref"] = e
    if isinstance(STATE["ref"], Exception):
        raise AssertionError(f"the zhiye run reference failed: {STATE['ref']}")
    return STATE["ref"]


def mismatches(expected, got, columns):
    return [(c, expected[c], got[c]) for c in columns if expected[c] != got[c]]


@case
def test_classify_equals_the_cli_row_for_row():
    ref = reference()
    clf = classifier()
    bad, n, seconds = [], 0, 0.0
    for batch in ref.batches():
        start = time.perf_counter()
        out = clf.classify(batch)
        seconds += time.perf_counter() - start
        assert out.num_rows == batch.num_rows
        salary = zhiye.parse_salary(batch.column("salary_text"))
        fields = {"salary_min": salary.column("salary_min"), "salary_max": salary.column("salary_max"),
                  "wage": salary.column("wage"), "exp_min": zhiye.parse_experience(batch.column("experience_text")),
                  "education": zhiye.parse_education(batch.column("education_text")),
                  "headcount": zhiye.parse_headcount(batch.column("headcount_text"))}
        got = out.to_pylist()
        fields = {k: v.to_pylist() for k, v in fields.items()}
        for i, pid in enumerate(batch.column("posting_id").to_pylist()):
            row = dict(got[i], **{k: v[i] for k, v in fields.items()})
            diff = mismatches(ref.rows[pid], row, CLASS_COLUMNS + FIELD_COLUMNS)
            if diff:
                bad.append((pid, diff))
            n += 1
    assert n == GENERATED + len(SAMPLES), n
    assert not bad, f"{len(bad)} rows differ from zhiye run, e.g. {bad[:3]}"
    cli = ref.summary["classify_seconds"]
    print(f"    {n} rows equal to zhiye run (8 classification columns, 6 parsed fields)")
    print(f"    throughput: wheel classify {n / seconds:,.0f} postings/s ({len(ref.files)} batches, 1 thread, "
          f"classification only); zhiye run main pass {ref.summary['rows_in'] / cli:,.0f} postings/s "
          f"(1 thread, read + classify + parse + write)")


@case
def test_samples_codes_and_explicit_values():
    ref = reference()
    by_title = {t: ref.rows[f"sample-{i:02}"] for i, (t, *_rest) in enumerate(SAMPLES)}
    assert by_title["会计"]["code"] is not None and by_title["会计"]["code"].startswith("2-06"), by_title["会计"]
    assert by_title["护士"]["code"] is not None and by_title["护士"]["code"].startswith("2-05-08"), by_title["护士"]
    # No title and no description: no code. An empty title is read from its description alone.
    assert by_title[None]["code"] is None and by_title[None]["method"] == "unclassified", by_title[None]
    assert by_title[""]["evidence"] == "" and by_title[""]["score"] < 0.5, by_title[""]
    # The parsers on sample strings, beside what the Rust parsers' own tests state.
    salary = zhiye.parse_salary(pa.array(["8千-1.2万·13薪", "1.2-2万·13薪", "面议", None]))
    assert salary.schema.names == ["salary_min", "salary_max", "wage"]
    assert salary.column("salary_min").to_pylist() == [8000.0, 12000.0, None, None]
    assert salary.column("salary_max").to_pylist() == [12000.0, 20000.0, None, None]
    assert salary.column("wage").to_pylist()[0] == by_title["会计"]["wage"]
    exp = zhiye.parse_experience(pa.array(["3-5年", "3年以上", "", None]))
    assert exp.type == pa.uint8() and exp.to_pylist() == [3, 3, None, None], exp
    edu = zhiye.parse_education(pa.array(["本科", "本科及以上", "学历不限", "博士", "经验不限", None]))
    assert edu.type == pa.int8() and edu.to_pylist() == [4, 4, 0, 6, None, None], edu
    head = zhiye.parse_headcount(pa.array(["招3人", "若干", "", None, "10人"]))
    assert head.type == pa.uint32() and head.to_pylist() == [3, None, None, None, 10], head


@case
def test_pandas_round_trip():
    clf = classifier()
    titles = [t for t, *_ in SAMPLES]
    descs = [d for _, d, *_ in SAMPLES]
    df = pd.DataFrame({"job": titles, "text": descs, "n": range(len(titles))})
    batch = pa.RecordBatch.from_pandas(df, preserve_index=False)
    out = clf.classify(batch, title="job", description="text").to_pandas()
    assert len(out) == len(df) and list(out.columns) == CLASS_COLUMNS
    plain = clf.classify(pa.RecordBatch.from_pydict({"title": pa.array(titles, pa.string()),
                                                     "description": pa.array(descs, pa.string())}))
    assert [None if pd.isna(c) else c for c in out["code"]] == plain.column("code").to_pylist()
    joined = pd.concat([df, out], axis=1)
    assert joined.loc[joined["job"] == "会计", "code"].iloc[0] == reference().rows["sample-00"]["code"]
    # Title only: description=None ignores any description column.
    only = clf.classify(batch, title="job", description=None)
    assert only.num_rows == len(df)


@case
def test_state_is_kept_between_calls():
    clf = classifier()
    batch = next(reference().batches())
    t0 = time.perf_counter()
    first = clf.classify(batch)
    t1 = time.perf_counter()
    second = clf.classify(batch)
    t2 = time.perf_counter()
    assert first.equals(second)
    assert clf.calls == 2, clf.calls
    print(f"    same scratch: first call {1e3 * (t1 - t0):.1f} ms, second {1e3 * (t2 - t1):.1f} ms "
          f"({batch.num_rows} rows)")


@case
def test_threads_and_pickle():
    clf = classifier()
    batches = list(reference().batches())[:40]
    expected = [clf.classify(b) for b in batches]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(clf.classify, batches))
    assert all(e.equals(g) for e, g in zip(expected, got))
    copy = pickle.loads(pickle.dumps(clf))
    assert repr(copy) == repr(clf) and copy.classify(batches[0]).equals(expected[0])


@case
def test_api_surface_and_errors():
    clf = classifier()
    cargo = open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8").read()
    version = re.search(r'\[workspace\.package\]\s*version = "([^"]+)"', cargo).group(1)
    assert zhiye.__version__ == version, (zhiye.__version__, version)
    codes = clf.codes()
    assert len(codes) > 1000 and len(set(codes)) == len(codes) and all(re.fullmatch(r"\d(-\d\d){3}", c) for c in codes)
    out = clf.classify(pa.RecordBatch.from_pydict({"title": ["会计", "快递员"], "description": [None, None]}))
    assert set(c for c in out.column("code").to_pylist() if c) <= set(codes)
    assert out.schema.equals(zhiye.Classifier.schema()), out.schema
    r = repr(clf)
    assert r.startswith("zhiye.Classifier(") and "top_k=5" in r and str(len(codes)) in r, r
    c3 = zhiye.Classifier(TAXONOMY, top_k=3, description_weight=0.0, level_threshold=0.7)
    assert c3.top_k == 3 and c3.rules is None and c3.level_threshold > 0.69
    assert max(len(t) for t in c3.classify(out_batch()).column("top_k").to_pylist()) <= 3
    for call, exc in [
        (lambda: clf.classify(pa.RecordBatch.from_pydict({"name": ["会计"]})), KeyError),
        (lambda: clf.classify(pa.RecordBatch.from_pydict({"title": [1, 2]}), description=None), TypeError),
        (lambda: zhiye.parse_salary(pa.array([1, 2])), TypeError),
        (lambda: zhiye.Classifier(os.path.join(STATE["tmp"], "nowhere")), OSError),
        (lambda: zhiye.Classifier(TAXONOMY, top_k=0), ValueError),
    ]:
        try:
            call()
        except exc:
            pass
        else:
            raise AssertionError(f"expected {exc.__name__}")
    # Other string types read the same: large_string, dictionary.
    titles = ["会计", None, "普工"]
    base = clf.classify(pa.RecordBatch.from_pydict({"title": pa.array(titles)}), description=None)
    for arr in [pa.array(titles, pa.large_string()), pa.array(titles).dictionary_encode()]:
        got = clf.classify(pa.RecordBatch.from_arrays([arr], names=["title"]), description=None)
        assert got.equals(base)
    assert zhiye.parse_education(pa.array(["本科"], pa.large_string())).to_pylist() == [4]


@case
def test_code_postings_and_reposts_equal_the_cli_main_pass():
    """The whole main pass from the wheel: reposts by dedup_keys + find_reposts over the corpus, then
    code_postings per batch, must give the CLI's classified Parquet, every column of every row."""
    ref = reference()
    cli = pa.concat_tables([pq.read_table(p) for p in glob.glob(
        os.path.join(ref.tmp, "out", "current", "classified", "**", "*.parquet"), recursive=True)]).sort_by("row")
    keyed = []
    for i, path in enumerate(ref.files):  # the CLI numbers files in path order: ref.files is sorted that way
        t = pq.read_table(path)
        rows = pa.array([(i << 40) | r for r in range(t.num_rows)], pa.int64())
        keys = zhiye.dedup_keys(t["company"].combine_chunks(), t["title"].combine_chunks(), t["city"].combine_chunks())
        assert keys.type == pa.int64()
        keyed.append(pa.table({"key": keys, "posted_at": t["posted_at"], "row": rows}))
    pairs = zhiye.find_reposts(pa.concat_tables(keyed).combine_chunks().to_batches()[0], 30)
    assert pairs.schema.names == ["row", "dup_of"] and pairs.num_rows > 100, pairs.num_rows
    anchors = dict(zip(pairs.column("row").to_pylist(), pairs.column("dup_of").to_pylist()))
    clf = zhiye.Classifier.shared(TAXONOMY, rules=RULES)
    assert zhiye.Classifier.shared(TAXONOMY, rules=RULES) is clf
    assert zhiye.Classifier.shared(TAXONOMY, rules=RULES, top_k=3) is not clf
    built = zhiye.classifiers_built()
    out = []
    for i, path in enumerate(ref.files):
        t = pq.read_table(path)
        rows = [(i << 40) | r for r in range(t.num_rows)]
        t = t.append_column("row", pa.array(rows, pa.uint64()))
        t = t.append_column("dup_of", pa.array([anchors.get(r) for r in rows], pa.int64()))
        out.extend(clf.code_postings(b) for b in t.to_batches(max_chunksize=3000))
    assert zhiye.classifiers_built() == built, "shared() must not build again"
    got = pa.Table.from_batches(out).sort_by("row")
    assert got.schema.equals(cli.schema), f"{got.schema}\n!=\n{cli.schema}"
    bad = [n for n in cli.column_names if not got[n].combine_chunks().equals(cli[n].combine_chunks())]
    assert not bad, f"columns differing from zhiye run: {bad}"
    # Spark's types: signed integers holding the same values; no dup_of column: no reposts.
    b = t.drop_columns(["dup_of"]).to_batches()[0]
    spark = clf.code_postings(b, spark_types=True)
    assert [spark.schema.field(n).type for n in ("row", "dup_of", "headcount", "exp_min")] == \
        [pa.int64(), pa.int64(), pa.int64(), pa.int32()], spark.schema
    assert spark.column("dup_of").null_count == b.num_rows
    assert spark.column("code").equals(clf.code_postings(b).column("code"))
    for call, exc in [(lambda: clf.code_postings(b.drop_columns(["row"])), KeyError),
                      (lambda: clf.code_postings(b.drop_columns(["posted_at"])), ValueError)]:
        try:
            call()
        except exc:
            pass
        else:
            raise AssertionError(f"expected {exc.__name__}")
    print(f"    {got.num_rows} rows × {len(cli.column_names)} columns equal to zhiye run; "
          f"{pairs.num_rows} reposts found by the wheel")


@case
def test_parse_rates_sum_to_the_run_summarys():
    ref = reference()
    totals = {}
    for batch in ref.batches():
        for name, value in zhiye.parse_rates(batch).to_pylist()[0].items():
            totals[name] = totals.get(name, 0) + value
    want = ref.summary["parse_rates"]["fields"]
    got = {f: {"non_empty": totals[f"{f}_non_empty"], "parsed": totals[f"{f}_parsed"]} for f in want}
    assert got == want, (got, want)
    assert all(r["non_empty"] >= r["parsed"] > 0 for r in got.values()), got
    # Absent columns count nothing.
    empty = zhiye.parse_rates(pa.RecordBatch.from_pydict({"title": ["会计"]})).to_pylist()[0]
    assert set(empty.values()) == {0} and len(empty) == 8, empty
    print(f"    parse counts of {ref.summary['rows_in']} postings equal to zhiye run's summary: {got}")


@case
def test_read_config_resolves_like_zhiye_run():
    d = zhiye.read_config()
    assert (d["top_k"], d["level_threshold"], d["dedup_enabled"], d["window_days"]) == (5, 0.5, True, 30), d
    assert "大模型" in d["ai_keywords"] and d["rules"] == "config/rules.toml", d
    path = os.path.join(STATE["tmp"], "c.toml")
    with open(path, "w") as f:
        f.write('[classify]\ntop_k = 3\nrules = ""\n[dedup]\nenabled = false\n')
    d = zhiye.read_config(path)
    assert (d["top_k"], d["rules"], d["dedup_enabled"]) == (3, None, False), d
    with open(path, "w") as f:
        f.write("[classify]\ntopk = 3\n")
    try:
        zhiye.read_config(path)
    except ValueError as e:
        assert "topk" in str(e) and "c.toml" in str(e), e
    else:
        raise AssertionError("an unknown key must be refused")


def out_batch():
    return pa.RecordBatch.from_pydict({"title": ["会计", "Java开发工程师", "普工"],
                                       "description": ["记账", "写代码", None]})


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="zhiye-wheel-") as tmp:
        STATE["tmp"] = tmp
        print(f"zhiye {zhiye.__version__} from {zhiye.__file__}; CLI {BIN}")
        for t in TESTS:
            start = time.perf_counter()
            try:
                t()
            except Exception:
                failed += 1
                print(f"FAIL {t.__name__}")
                traceback.print_exc()
            else:
                passed += 1
                print(f"PASS {t.__name__} ({time.perf_counter() - start:.1f} s)")
            sys.stdout.flush()
    print(f"test_wheel: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
