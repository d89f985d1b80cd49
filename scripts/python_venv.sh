#!/usr/bin/env bash
# Makes sure a Python venv exists with the given packages, creating or repairing it if not.
#   scripts/python_venv.sh VENV_DIR "MODULE, MODULE" PIP_ARG...
# VENV_DIR is created with `python3 -m venv` when it has no python or when importing the
# modules fails; then `pip install PIP_ARG...` (pinned requirements: `-r FILE` or `pkg==x.y`).
# Used by scripts/compare_peer.sh and `zhiye bench --compare-baseline/--compare-duckdb`.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 VENV_DIR \"MODULE, ...\" PIP_ARG..." >&2; exit 2; }
venv="$1"; modules="$2"; shift 2
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import $modules" 2>/dev/null; then
    exit 0
fi
echo "python_venv: installing $* into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
"$venv/bin/python" -c "import $modules"
