# Build / run / test entry points. Everything runs from the repository root.
#
#   make run        install runtime deps, start the app on http://localhost:8501
#   make test       install dev deps + Chromium + PostgreSQL/PostGIS, run the whole pytest suite
#   make lint       ruff check + ruff format --check
#   make bench      map benchmark (tiled lots vs the peers, concurrent viewers) -> bench/RESULTS.md
#   make clean      remove the venv, caches and test artifacts
#
# Needs only: make, bash, Python >= 3.11 (python3.11 or python3; override with
# PYTHON=...), and on Debian apt-get for python3-venv / chromium / postgresql when missing.
# Vendored front-end assets (static/vendor, and axe-core for the accessibility test in
# tests/e2e/vendor) are committed: no node or npm at run or test time.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV   := .venv
VPY    := $(VENV)/bin/python
PIP    := $(VPY) -m pip --disable-pip-version-check
STAMPS := $(VENV)/.stamps
PORT   ?= 8501

.PHONY: help venv install install-dev browser postgres run test lint format clean freeze vendor-check bench

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# --- environment -----------------------------------------------------------

venv: $(VPY)

$(VPY):
	scripts/make_venv.sh $(VENV)

# The stamps live inside the venv, so re-creating the venv re-installs.
install: $(STAMPS)/runtime

$(STAMPS)/runtime: requirements.txt | $(VPY)
	$(PIP) install -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

install-dev: $(STAMPS)/dev

$(STAMPS)/dev: requirements.txt requirements-dev.txt | $(VPY)
	$(PIP) install -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $(STAMPS)/runtime $@

browser:
	scripts/ensure_browser.sh $(VENV)

# The store tests start (and stop) their own throwaway server with these binaries.
postgres:
	scripts/ensure_postgres.sh

# --- run / test / lint -------------------------------------------------------

# A rolling backup of the embedded store before each start (data/backups/, newest 10 kept).
# A damaged store is not backed up: a warning says why and how to restore it, and the app
# starts read-only from the last good backup (README, Backups). PostGIS: pg_dump.
run: install
	$(VPY) -m geo backup --if-present
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

# `browser` runs after install-dev (also under -j) so it can check the venv's
# Playwright driver. pytest exits non-zero on any failure, and with 5 when no
# test was collected: make treats both as failure (never mask the status here).
test: install-dev
	$(MAKE) --no-print-directory browser postgres
	$(VPY) -m pytest -q

# Benchmark extras (matplotlib, mapclassify for explore()) on top of the dev venv; sizes,
# runs and limits in bench/bench_tiles.py and bench/bench_crowd.py (concurrent viewers of
# the real app, its section of RESULTS.md kept between markers), then bench.clock writes the
# whole run's wall time into RESULTS.md. BENCH_ARGS=... narrows the
# tiles part (e.g. --sizes 100 1000), CROWD_ARGS=... the crowd part (e.g. --sessions 1 10).
bench: install-dev
	$(MAKE) --no-print-directory browser
	$(PIP) install -q -c requirements.txt -r bench/requirements.txt
	export LSZ_BENCH_STARTED=$$(date +%s) && \
	nice -n 10 $(VPY) -m bench.bench_tiles $(BENCH_ARGS) && \
	nice -n 10 $(VPY) -m bench.bench_crowd $(CROWD_ARGS) && \
	$(VPY) -m bench.clock

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/artifacts
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +

# --- maintainer tools (need network: PyPI / npm registry) ---------------------

freeze:
	scripts/freeze_requirements.sh

vendor-check:
	scripts/vendor_assets.sh --check
