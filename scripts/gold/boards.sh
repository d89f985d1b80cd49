#!/usr/bin/env bash
# What eval.sh and fit.sh share, sourced after `set -euo pipefail`: the repository root (made the working
# folder), the binary ($bin, ZHIYE_BIN overrides), the real samples ($shared, ZHIYE_SHARED_DIR overrides), and
#   import_gold_boards OUT
# which imports the two boards whose postings the gold set holds (BOSS直聘 2019, 51job 2019) into OUT/boss and
# OUT/51job with `zhiye import`: the gold postings' descriptions are read from there by posting id.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bin="${ZHIYE_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/zhiye}"
shared="${ZHIYE_SHARED_DIR:-$root/../shared/data/postings}"
import_gold_boards() {
    [ -d "$shared" ] || { echo "gold: $shared not found: the postings set needs the real samples" >&2; exit 1; }
    local s
    for s in boss:jobspider-2019/boss_zhipin.xlsx 51job:51job-2019/51job.gbk.csv; do
        "$bin" import --mapping "$root/config/mappings/${s%%:*}.toml" --out "$1/${s%%:*}" --input "$shared/${s#*:}" >/dev/null
    done
}
