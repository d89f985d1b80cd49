#!/usr/bin/env python3
"""Look up the OCD 2022 taxonomy (data/ocd2022/csco22.csv) while labelling gold rows.

    ocd.py 2-02-10          every class under a code prefix: code, name, aliases
    ocd.py -d 2-02-10-03    the same with definitions and task lists
    ocd.py 软件测试          classes whose name or alias contains the words (all of them)
    ocd.py -d -a 测试       also search definitions and tasks

Reads only the taxonomy; never a classifier's answer.
"""
import csv, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "..", "data", "ocd2022", "csco22.csv")
args = sys.argv[1:]
detail = "-d" in args
everywhere = "-a" in args
words = [a for a in args if a not in ("-d", "-a")]
rows = list(csv.DictReader(open(path, encoding="utf-8")))
prefix = re.compile(r"^\d(-\d\d){0,3}$")
for r in rows:
    hay = r["name"] + "|" + r["alias"]
    if everywhere:
        hay += "|" + r["definition"] + "|" + r["tasks"]
    if words and prefix.match(words[0]):
        code = r["code"]
        if not code.startswith(words[0]):
            continue
    elif not all(w.lower() in hay.lower() for w in words):
        continue
    print(f"{r['code']}  L{r['level']}  {r['name']}")
    alias = [a for a in re.split(r"[,、]", r["alias"]) if a and a != r["name"]]
    if alias:
        print(f"    aliases: {'、'.join(alias)[:600]}")
    if detail:
        if r["definition"]:
            print(f"    def: {r['definition']}")
        if r["tasks"]:
            print(f"    tasks: {r['tasks'][:900]}")
