# One entry point for people and CI.  `make serve` and `make test` each install what is
# missing (Python venv, npm packages, Debian's chromium), build the site and go on.
# Stamps make a second run skip what has not changed.

SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
SITE_DIR ?= site
PORTABLE_DIR ?= site-portable
PORT  ?= 8000
HOST  ?= 127.0.0.1
JOBS  ?= auto
SUDO  := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PY_STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
APT_PACKAGES := chromium fonts-noto-cjk poppler-utils

.PHONY: setup browser rules pages build portable-build portable serve test dist bench snapshot lint lock clean

setup: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium (Playwright cannot download its own browser here), a CJK font, so that
# screenshots and print PDFs render Chinese, and poppler-utils (pdftotext, pdfinfo), which the
# print tests read page counts and page numbers with.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh | grep -q . || ! command -v pdftotext >/dev/null; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends $(APT_PACKAGES); \
	fi

# The build runs in three steps (build_scripts/build.py): generate, render, post-process.
# rules: decision/rules/*.yaml -> decision/rules.json (+ the notice's paragraph texts).
rules: $(PY_STAMP)
	$(PY) -m build_scripts.plumbing.compile_rules

# pages: docs/ plus every generated page and asset -> build/docs (mkdocs.yml's docs_dir).
pages: setup rules
	$(PY) -m build_scripts.build pages --out build/docs

build: pages
	$(PY) -m mkdocs build --strict --site-dir $(SITE_DIR)
	$(PY) -m build_scripts.build post --pages build/docs --site-dir $(SITE_DIR)

# The portable build (opened from files, no server; see build_scripts/portable): the same render
# in $(PORTABLE_DIR)/, post-processed for file://; `make portable` zips it into
# dist/site-portable-<version>.zip.
portable-build: pages
	$(PY) -m mkdocs build --strict --site-dir $(PORTABLE_DIR)
	$(PY) -m build_scripts.build post --pages build/docs --site-dir $(PORTABLE_DIR) --portable

portable: portable-build
	$(PY) -m build_scripts.portable.dist --site-dir $(PORTABLE_DIR) --out dist

serve: build
	$(PY) -m build_scripts.tools.serve --dir $(SITE_DIR) --host $(HOST) --port $(PORT)

# Tests run on every core (pytest-xdist, idle workers steal queued tests; each worker has its own
# Chromium).  JOBS=0 runs them in one process.
test: setup browser build portable-build
	$(PY) -m pytest -n $(JOBS) --dist worksteal

# The same code-quality gates the suite runs (tests/test_code_quality.py), for a quick look.
lint: $(PY_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Intranet packages: dist/site-<version>.zip (served) and dist/site-portable-<version>.zip (opened
# from files), each with its .sha256 (see docs/about/deploy.md).
dist: build portable-build
	$(PY) -m build_scripts.tools.dist --site-dir $(SITE_DIR) --out dist
	$(PY) -m build_scripts.portable.dist --site-dir $(PORTABLE_DIR) --out dist

# Regenerate the engine's golden snapshot (tests/golden/paths.md) after a rule change; review the diff.
snapshot: $(PY_STAMP)
	$(PY) -m build_scripts.tools.snapshot

# Speed and memory figures (printed, never asserted): engine throughput, generated pages, search,
# wizard load, then a 100,000-row register (the largest decision/limits.py allows; generated once
# into build/, which takes a few minutes) through the command line, the roster page on one and on
# two workers, as CSV and as XLSX, with 导出结果.  suite_time.py (cold/warm `make test`) runs on
# its own.  Every figure with a goal is also recorded (benchmarks/figures.py) and printed at the end
# in one table beside its goal and the load average (benchmarks/goals.py).
BENCHMARKS := engine_throughput rule_pages search_queries wizard_load
BENCH_FIGURES := build/bench-figures.jsonl
BENCH_ROSTER := build/bench-roster-100k.csv
$(BENCH_ROSTER): | $(PY_STAMP) rules
	$(PY) benchmarks/roster_10k.py --rows 100000 --save-csv $@
bench: build browser $(BENCH_ROSTER)
	@rm -f $(BENCH_FIGURES)
	@for b in $(BENCHMARKS); do echo "== benchmarks/$$b.py"; BENCH_FIGURES=$(BENCH_FIGURES) $(PY) benchmarks/$$b.py || exit 1; done
	@echo "== benchmarks/roster_10k.py (100,000 rows)"; BENCH_FIGURES=$(BENCH_FIGURES) $(PY) benchmarks/roster_10k.py --csv $(BENCH_ROSTER) --runs 1 --xlsx
	@echo "== benchmarks/roster_rows.py"; BENCH_FIGURES=$(BENCH_FIGURES) $(PY) benchmarks/roster_rows.py --csv $(BENCH_ROSTER)
	@echo "== benchmarks/roster_xlsx_memory.py"; BENCH_FIGURES=$(BENCH_FIGURES) $(PY) benchmarks/roster_xlsx_memory.py --csv $(BENCH_ROSTER)
	@echo "== goals"; $(PY) benchmarks/goals.py $(BENCH_FIGURES)

lock:
	$(PY) -m pip freeze --exclude-editable | sort > requirements.lock

clean:
	rm -rf $(SITE_DIR) $(PORTABLE_DIR) build dist .pytest_cache
