#!/usr/bin/env python3
"""What each rule captured, and the code distribution, in a run's classified postings.

    rule_hits.py OUT/current/classified [--examples N] [--codes N]

For every rule: its postings, and its most frequent distinct titles with their counts, so that a reader can
check the rule captures only titles the coding convention (docs/coding.md) gives its code. Then the most
frequent codes with their share of postings. `make real` runs it on the real samples.
"""
import argparse, collections, glob, os

import pyarrow.parquet as pq

ap = argparse.ArgumentParser()
ap.add_argument("classified")
ap.add_argument("--examples", type=int, default=8)
ap.add_argument("--codes", type=int, default=25)
a = ap.parse_args()
by_rule = collections.defaultdict(collections.Counter)
codes = collections.Counter()
n = 0
for f in sorted(glob.glob(os.path.join(a.classified, "*.parquet"))):
    t = pq.read_table(f, columns=["title", "code", "rule", "method"])
    for title, code, rule, method in zip(*(t.column(c).to_pylist() for c in ("title", "code", "rule", "method"))):
        n += 1
        codes[code or "unclassified"] += 1
        if rule:
            by_rule[f"{rule} ({'decided' if method == 'rule' else 'matched, ' + method})"][title.strip()] += 1
print(f"rule hits on {n} postings (rule; postings; most frequent titles)")
for rule, titles in sorted(by_rule.items(), key=lambda kv: -sum(kv[1].values())):
    top = ", ".join(f"{t} {c}" for t, c in titles.most_common(a.examples))
    print(f"  {rule:<40} {sum(titles.values()):>6}  {top}")
print(f"codes: the {a.codes} most frequent of {len(codes)}")
for code, c in codes.most_common(a.codes):
    print(f"  {code:<12} {c:>6} {c / n:6.1%}")
