#!/usr/bin/env python3
"""Draw the rows of the gold development set (tests/gold/), once, reproducibly.

    sample.py --testcases data/ocd2022/testcases.csv --real WORK --out tests/gold

WORK is the folder `scripts/real_samples.sh WORK` imported the real samples into (WORK/<source>/postings/*.parquet).
Writes, unlabelled (code, ambiguous, alt, reason empty):
  titles.csv    900 titles of testcases.csv, round-robin over the silver labels' medium classes (so the whole
                taxonomy is covered; the silver label itself is not kept), then 250 of the most frequent real
                titles and 450 distinct real titles drawn uniformly (the long tail), each with its count in the
                real samples;
  postings.csv  360 real postings with a description (240 BOSS, 120 51job), by posting_id: descriptions are
                read from ../shared at evaluation time, never copied into the repository.
The half (0 = tuning, 1 = report) is fixed here by a hash of the row's id.
Needs pyarrow.
"""
import argparse, collections, csv, glob, hashlib, os, random, re

import pyarrow.parquet as pq

SEED = 20261206


def norm(title):
    return re.sub(r"\s+", "", title or "").lower()


def half(key):
    return hashlib.sha256(key.encode()).digest()[0] & 1


def read_real(work):
    rows = []
    for source in ("zhilian", "51job", "boss", "lagou", "liepin"):
        for f in sorted(glob.glob(os.path.join(work, source, "postings", "*.parquet"))):
            t = pq.read_table(f, columns=["posting_id", "title", "description"])
            for pid, title, desc in zip(*(t.column(c).to_pylist() for c in ("posting_id", "title", "description"))):
                if title and title.strip():
                    rows.append((source, pid, title.strip(), desc or ""))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--testcases", required=True)
    ap.add_argument("--real", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(SEED)

    # Titles of testcases.csv, round-robin over the silver medium classes.
    by_medium = collections.defaultdict(list)
    with open(a.testcases, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_medium[r["expected_code"][:4]].append(r["job_name"].strip())
    for titles in by_medium.values():
        rng.shuffle(titles)
    seen, picked = set(), []
    mediums = sorted(by_medium)
    while len(picked) < 900 and any(by_medium.values()):
        for m in mediums:
            if by_medium[m] and len(picked) < 900:
                t = by_medium[m].pop()
                if norm(t) not in seen:
                    seen.add(norm(t))
                    picked.append(("testcases", t, ""))

    real = read_real(a.real)
    counts = collections.Counter(norm(t) for _, _, t, _ in real)
    first = {}
    for _, _, t, _ in real:
        first.setdefault(norm(t), t)
    frequent = [k for k, _ in counts.most_common() if k not in seen][:250]
    for k in frequent:
        seen.add(k)
        picked.append(("real-frequent", first[k], counts[k]))
    tail = sorted(k for k in counts if k not in seen)
    rng.shuffle(tail)
    for k in tail[:450]:
        seen.add(k)
        picked.append(("real-uniform", first[k], counts[k]))

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "titles.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "source", "title", "count", "half", "code", "ambiguous", "alt", "reason"])
        for i, (src, t, n) in enumerate(picked):
            rid = f"t{i + 1:04d}"
            w.writerow([rid, src, t, n, half(rid + t), "", "", "", ""])

    postings = []
    for source, n in (("boss", 240), ("51job", 120)):
        pool = [r for r in real if r[0] == source and len(r[3]) >= 80]
        pool.sort(key=lambda r: r[1])
        postings += rng.sample(pool, n)
    with open(os.path.join(a.out, "postings.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "posting_id", "title", "half", "code", "ambiguous", "alt", "reason"])
        for i, (src, pid, t, _) in enumerate(postings):
            rid = f"p{i + 1:04d}"
            w.writerow([rid, pid, t, half(rid + pid), "", "", "", ""])
    print(f"titles: {len(picked)}; postings: {len(postings)}")


if __name__ == "__main__":
    main()
