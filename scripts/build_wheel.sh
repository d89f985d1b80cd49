#!/usr/bin/env bash
# Builds the `zhiye` Python wheel (crates/zhiye-py: PyO3, abi3 for CPython >= 3.9) into
# $CARGO_TARGET_DIR/wheels (target/wheels when unset) and installs it into the venv .venv-py.
#   scripts/build_wheel.sh            # used by `make test-py`
# The venv (gitignored) gets the pinned build and test requirements: maturin, ziglang, pyarrow, pandas, pytest and
# pyspark for the cluster test (tests/spark; Spark 4.0 runs on the installed Java 17).
# The wheel is tagged manylinux2014 (glibc >= 2.17): linked with zig (the pinned `ziglang` wheel) against
# glibc 2.17 symbols, since the system linker here (Debian 12, glibc 2.36) would give manylinux_2_34.
# Cargo flags pass through the environment (CARGO_BUILD_JOBS, CARGO_TARGET_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-py
target="${CARGO_TARGET_DIR:-$PWD/target}"
wheels="$target/wheels"
bash scripts/python_venv.sh "$venv" "maturin, ziglang, pyarrow, pandas, pyspark, pytest" \
    maturin==1.16.0 ziglang==0.15.2 pyarrow==26.0.1 pandas==3.1.1 numpy==2.4.6 pyspark==4.0.1 pytest==9.2.0
rm -f "$wheels"/zhiye-*.whl
start=$(date +%s)
# maturin finds zig through `python3 -m ziglang`: the venv's python comes first on PATH.
PATH="$PWD/$venv/bin:$PATH" "$venv/bin/maturin" build --release --locked --zig \
    --compatibility manylinux2014 -m crates/zhiye-py/Cargo.toml --out "$wheels" >&2
wheel=$(ls "$wheels"/zhiye-*.whl)
echo "build_wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB) in $(( $(date +%s) - start )) s" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel" >&2
"$venv/bin/python" -c "import zhiye; print('build_wheel: installed zhiye', zhiye.__version__, 'into $venv')" >&2
