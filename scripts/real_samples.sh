#!/usr/bin/env bash
# Import every real posting sample of ../shared/data/postings through its mapping,
# then classify and aggregate them with `zhiye run`: prints the import ledgers and
# parse rates, and the classifier's coverage (methods, trusted levels, rules).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
shared="${ZHIYE_SHARED_DIR:-$root/../shared/data/postings}"
[ -d "$shared" ] || { echo "real_samples: $shared not found; skipped" >&2; exit 0; }
bin="${CARGO_TARGET_DIR:-$root/target}/release/zhiye"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
import() { "$bin" import --mapping "config/mappings/$1.toml" --out "$work/$1" --input "${@:2}"; }
import zhilian "$shared/zhilian-2024/zhilian.csv"
import 51job "$shared/51job-2019/51job.gbk.csv"
import boss "$shared/jobspider-2019/boss_zhipin.xlsx"
import lagou "$shared/jobspider-2019/lagou.xlsx"
import liepin "$shared/jobspider-2019/liepin_raw.xlsx"
mkdir -p "$work/corpus"
for s in zhilian 51job boss lagou liepin; do
    for f in "$work/$s/postings/"*.parquet; do cp "$f" "$work/corpus/$s-$(basename "$f")"; done
done
cat >"$work/real.toml" <<TOML
[taxonomy]
dir = "$root/data/ocd2022"
[corpus]
dir = "$work/corpus"
generate_postings = 0
[classify]
rules = "$root/config/rules.toml"
[output]
dir = "$work/out"
TOML
"$bin" run --config "$work/real.toml"
# What each rule captured, and the code distribution (pyarrow from the tools venv).
bash "$root/scripts/python_venv.sh" "$root/.venv-tools" "pyarrow" "pyarrow==26.0.1"
"$root/.venv-tools/bin/python" "$root/scripts/rule_hits.py" "$work/out/current/classified"
