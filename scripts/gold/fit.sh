#!/usr/bin/env bash
# `make fit`: fits the evidence fusion on the tuning half (0) of the gold set, titles and postings (their
# descriptions imported from ../shared), and writes config/fusion.toml. Deterministic: a refit with the same
# rules, taxonomy and gold reproduces the file (tests/gold.rs checks it).
#   scripts/gold/fit.sh [OUT]        default: config/fusion.toml
set -euo pipefail
# shellcheck source=scripts/gold/boards.sh
source "$(dirname "$0")/boards.sh"
out="${1:-config/fusion.toml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
import_gold_boards "$work"
"$bin" fit --gold tests/gold/titles.csv tests/gold/postings.csv --postings "$work" --half 0 --taxonomy data/ocd2022 \
    --out "$out"
echo "wrote $out"
