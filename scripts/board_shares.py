#!/usr/bin/env python3
"""Measures what real board titles and descriptions look like, to calibrate the synthetic corpus (issue 22).

    board_shares.py TAXONOMY_DIR PARQUET...     (canonical postings, as `zhiye import` writes them)

Prints, per board and over all: postings, distinct titles, the share of postings carried by the 1,000 most
frequent titles, the Zipf exponent of title frequencies (least squares of log count on log rank, ranks
1-1,000), the share of titles that are exactly a taxonomy name or alias (compared without case, spaces and
punctuation), that contain one with decoration around it, and that contain none; the decorations' shares
(brackets, figures and pay, urgency and recruiting words, `/`-joined pairs, Latin letters, city names); and
description lengths in characters. Reads the samples; writes nothing.
"""
import collections
import csv
import math
import re
import sys

import pyarrow.parquet as pq


def key(text):
    return re.sub(r"[\W_]+", "", text.lower())


def load_terms(tax):
    terms = set()
    for r in csv.DictReader(open(f"{tax}/csco22.csv", encoding="utf-8")):
        for t in [r["name"], *re.split(r"[,、]", r["alias"])]:
            for part in [t, *(t.split("/") if "/" in t else [])]:
                k = key(part)
                if len(k) >= 2:
                    terms.add(k)
    return terms


def load_cities(tax):
    names = set()
    for r in csv.DictReader(open(f"{tax}/cncity.csv", encoding="utf-8")):
        for n in (r["name"], r["short_name"]):
            if len(n) >= 2:
                names.add(n)
    return names


def zipf_exponent(counts):
    top = sorted(counts, reverse=True)[:1000]
    xs = [math.log(i + 1) for i in range(len(top))]
    ys = [math.log(c) for c in top]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return -sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")


DECORATIONS = {
    "brackets": re.compile(r"[()（）\[\]【】<>《》]"),
    "figures_pay": re.compile(r"\d|[kK千万]|薪|元|提成"),
    "urgent_recruiting": re.compile(r"急招|急聘|诚聘|高薪|直招|招聘|包吃|包住|双休|五险"),
    "slash_pair": re.compile(r"[/／|、]"),
    "latin": re.compile(r"[A-Za-z]"),
    "seniority": re.compile(r"高级|资深|初级|中级|实习|储备|学徒|助理|主管|经理|总监"),
}


def measure(name, titles, desc_lengths, terms, cities):
    counts = collections.Counter(titles)
    n = len(titles)
    top = sum(c for _, c in counts.most_common(1000))
    exact = decorated = none = 0
    deco = collections.Counter()
    city = 0
    for t, c in counts.items():
        k = key(t)
        if k in terms:
            exact += c
        elif any(k[i:j] in terms for i in range(len(k)) for j in range(i + 2, min(len(k), i + 12) + 1)):
            decorated += c
        else:
            none += c
        for d, rx in DECORATIONS.items():
            if rx.search(t):
                deco[d] += c
        if any(cn in t for cn in cities):
            city += c
    lengths = sorted(desc_lengths)
    print(f"== {name}: {n} postings, {len(counts)} distinct titles ({len(counts) / n:.1%})")
    print(f"  top 1,000 titles carry {top / n:.1%} of postings; Zipf exponent (ranks 1-1,000) {zipf_exponent(counts.values()):.2f}")
    print(f"  titles exactly a name or alias {exact / n:.1%}; decorated (contain one) {decorated / n:.1%}; no term {none / n:.1%}")
    print("  decorations: " + ", ".join(f"{d} {deco[d] / n:.1%}" for d in DECORATIONS) + f", city {city / n:.1%}")
    if lengths:
        print(f"  description characters: median {lengths[len(lengths) // 2]}, mean {sum(lengths) / len(lengths):.0f}, "
              f"p90 {lengths[int(len(lengths) * 0.9)]}, empty {sum(1 for x in lengths if x == 0) / len(lengths):.1%}")


def main():
    tax, files = sys.argv[1], sys.argv[2:]
    terms = load_terms(tax)
    cities = load_cities(tax)
    every_t, every_d = [], []
    for f in files:
        t = pq.read_table(f, columns=["title", "description"])
        titles = [x or "" for x in t.column("title").to_pylist()]
        descs = [len(x or "") for x in t.column("description").to_pylist()]
        measure(f.rsplit("/", 1)[-1], titles, descs, terms, cities)
        every_t += titles
        every_d += descs
    measure("all boards", every_t, every_d, terms, cities)


if __name__ == "__main__":
    main()
