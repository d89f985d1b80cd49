#!/usr/bin/env python3
"""Merge labellers' files (id,code,ambiguous,alt,reason) into the drawn gold rows.

    merge.py DRAWN.csv OUT.csv LABELS.csv...

Rows keep DRAWN's order and columns; a row without a label keeps empty label columns.
A label for an id not in DRAWN is an error.
"""
import csv, sys

drawn, out, *labels = sys.argv[1:]
rows = list(csv.DictReader(open(drawn, encoding="utf-8")))
by_id = {r["id"]: r for r in rows}
for path in labels:
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r["id"] not in by_id:
            sys.exit(f"{path}: id {r['id']} is not a drawn row")
        for k in ("code", "ambiguous", "alt", "reason"):
            by_id[r["id"]][k] = (r.get(k) or "").strip()
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
labelled = sum(1 for r in rows if r["code"])
print(f"{out}: {len(rows)} rows, {labelled} labelled")
