#!/usr/bin/env bash
# Imports the two boards whose postings the gold set holds (BOSS直聘 2019, 51job 2019) from ../shared into
# OUT/boss and OUT/51job with `zhiye import`: the gold postings' descriptions are read from there by posting id.
# Sourced by eval.sh and fit.sh, which set $bin, $shared and $root.
#   import_gold_boards OUT
import_gold_boards() {
    [ -d "$shared" ] || { echo "gold: $shared not found: the postings set needs the real samples" >&2; exit 1; }
    local s
    for s in boss:jobspider-2019/boss_zhipin.xlsx 51job:51job-2019/51job.gbk.csv; do
        "$bin" import --mapping "$root/config/mappings/${s%%:*}.toml" --out "$1/${s%%:*}" --input "$shared/${s#*:}" >/dev/null
    done
}
