# Quick start on a fresh machine (Python 3.11+):  make ingest && make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
JOBS    ?= 2

.PHONY: help venv ingest update test check export notebooks bench ocr-deps browser-deps review variants clean-warehouse

help:
	@echo "make ingest     create .venv, install the pinned set, ingest raw/ into warehouse/meetings.duckdb"
	@echo "make update     fetch new packets from the sources in sources.toml into raw/, then ingest"
	@echo "make test       run the test suite"
	@echo "make check      list data-check findings of the warehouse"
	@echo "make export     export every table and view to export/ (Parquet)"
	@echo "make notebooks  execute the notebooks in notebooks/ against the warehouse"
	@echo "make bench      build a benchmark corpus and print ingest ratios"
	@echo "make ocr-deps   install tesseract with Japanese data and script model (Debian packages; needs root)"
	@echo "make review     write review/: each document's pages with the boxes of its values (open review/index.html)"
	@echo "make browser-deps install chromium + chromium-driver for the review's browser tests (Debian; needs root)"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

ingest: $(STAMP)
	$(BIN)/python -m pipeline ingest --jobs $(JOBS)

# Fetch, then ingest what is there even when some download failed (fetch exits 1);
# the failure still makes `make update` fail. A usage error or a locked warehouse stops.
update: $(STAMP)
	$(BIN)/python -m pipeline fetch $(FETCH_ARGS); rc=$$?; \
	if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	$(BIN)/python -m pipeline ingest --jobs $(JOBS) || exit $$?; exit $$rc

# pytest exits 5 when it collected nothing: never let an empty run pass.
test: $(STAMP)
	$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc = 5 ]; then echo "no tests were collected"; exit 1; fi; exit $$rc

check: $(STAMP)
	$(BIN)/python -m pipeline check

export: $(STAMP)
	$(BIN)/python -m pipeline export --format parquet --out export

# System packages for OCR of scanned pages; the core pipeline works without them. The
# typefaces are what the glyph check matches doubtful kanji against (pipeline/ocr_glyph.py).
ocr-deps:
	apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan \
		fontconfig fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-noto-cjk

# The review's browser tests run Debian's chromium headless; the review itself needs no browser.
browser-deps:
	apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver

# A static site to check values against their pages and write corrections (see README).
review: $(STAMP)
	$(BIN)/python -m pipeline review --all --out review

clean-warehouse:
	rm -rf warehouse/*.duckdb warehouse/*.wal extracted/*/

bench: $(STAMP)
	$(BIN)/python bench/bench.py --docs $${BENCH_DOCS:-100}

# Notebooks are kept as jupytext py:percent pairs; the .py is the source of truth.
notebooks: $(STAMP)
	cd notebooks && ../$(BIN)/jupytext --sync 0*.py
	ONETOYAMA_WAREHOUSE=$(CURDIR)/warehouse/meetings.duckdb $(BIN)/python -m pytest -q -p no:cacheprovider \
		--nbmake --overwrite notebooks

# Rebuild the variant renditions in tests/fixtures/variants/ (committed; the tests don't need this).
# Needs Debian's chromium libreoffice-writer-nogui fonts-noto-cjk fonts-ipaexfont fonts-morisawa-bizud-gothic.
variants: $(STAMP)
	$(BIN)/python tools/make_variant_packets.py
