#!/usr/bin/env bash
# `make fit`: fits the evidence fusion on the tuning half (0) of the gold set, titles and postings (their
# descriptions imported from ../shared), and writes config/fusion.toml. Deterministic: a refit with the same
# rules, taxonomy and gold reproduces the file (tests/gold.rs checks it).
#   scripts/gold/fit.sh [OUT]        default: config/fusion.toml
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bin="${ZHIYE_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/zhiye}"
shared="${ZHIYE_SHARED_DIR:-$root/../shared/data/postings}"
out="${1:-config/fusion.toml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/gold/boards.sh
source "$root/scripts/gold/boards.sh"
import_gold_boards "$work"
"$bin" fit --gold tests/gold/titles.csv tests/gold/postings.csv --postings "$work" --half 0 --taxonomy data/ocd2022 \
    --out "$out"
echo "wrote $out"
