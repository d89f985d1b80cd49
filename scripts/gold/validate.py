#!/usr/bin/env python3
"""Check a labels file (id,code,ambiguous,alt,reason): every code and alt is a class of the taxonomy
(or `-`, no occupation), ambiguous is 0/1, a reason is given, ids are unique.

    validate.py LABELS.csv [SLICE.csv]     with SLICE, also that every id of the slice is labelled
"""
import csv, os, sys

here = os.path.dirname(os.path.abspath(__file__))
codes = {r["code"] for r in csv.DictReader(open(os.path.join(here, "..", "..", "data", "ocd2022", "csco22.csv"), encoding="utf-8"))}
bad = 0
seen = set()
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
for i, r in enumerate(rows[1:], start=2):
    if len(r) != len(rows[0]):
        bad += 1
        print(f"{sys.argv[1]}:{i}: {len(r)} fields for {len(rows[0])} columns (quote fields with commas)")
for i, r in enumerate(csv.DictReader(open(sys.argv[1], encoding="utf-8")), start=2):
    def err(msg):
        global bad
        bad += 1
        print(f"{sys.argv[1]}:{i} {r.get('id')}: {msg}")
    if r["id"] in seen:
        err("duplicate id")
    seen.add(r["id"])
    if r["code"] != "-" and r["code"] not in codes:
        err(f"code {r['code']!r} is not in the taxonomy")
    if r.get("alt") and r["alt"] not in codes:
        err(f"alt {r['alt']!r} is not in the taxonomy")
    if r.get("ambiguous") not in ("0", "1"):
        err("ambiguous must be 0 or 1")
    if not (r.get("reason") or "").strip():
        err("no reason")
if len(sys.argv) > 2:
    want = {r["id"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
    missing = want - seen
    if missing:
        bad += 1
        print(f"{len(missing)} ids of the slice not labelled, e.g. {sorted(missing)[:5]}")
print(f"{len(seen)} rows, {bad} problems")
sys.exit(1 if bad else 0)
