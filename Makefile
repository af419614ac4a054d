# The Case for Change, re-examined. `make setup` once, then `make book`; `make test` checks everything.
SHELL      := /bin/bash
PYTHON     ?= python3.11
VENV       := .venv
BIN        := $(VENV)/bin
PY         := $(BIN)/python
APT        := chromium chromium-driver poppler-utils latexmk texlive-xetex texlive-fonts-recommended fonts-freefont-otf
# Official files come from a local mirror when one is present (CI and this workplace), otherwise from file_url.
CSC_DATA_MIRROR ?= $(if $(wildcard ../shared/data/raw),../shared/data/raw,)
export CSC_DATA_MIRROR
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup apt venv cff vendor data tidy book html pdf chapter edition atlas test test-fast bench lint clean distclean

setup: apt venv vendor cff   ## system packages, .venv from requirements.txt, vendored MathJax, CITATION.cff checker

apt:
	@S=$$([ "$$(id -u)" = 0 ] || echo sudo); dpkg -s $(APT) >/dev/null 2>&1 || \
	  { $$S apt-get update -q && $$S env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(APT); }

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

# cffconvert pins libraries older than the book's (jsonschema 3), so it lives in a virtual environment of its own.
cff: $(VENV)/cff/bin/cffconvert
$(VENV)/cff/bin/cffconvert:
	$(PYTHON) -m venv $(VENV)/cff
	$(VENV)/cff/bin/pip install -q --disable-pip-version-check cffconvert==2.0.0

vendor: $(VENV)/.installed
	$(PY) scripts/vendor.py

data: $(VENV)/.installed   ## official files into data/raw/, hash-checked
	$(PY) -m csc fetch

tidy: data   ## validated tidy tables in data/tidy/
	$(PY) -m csc tidy

book: data vendor   ## tidy -> chapters (papermill, only those whose inputs changed) -> HTML -> PDF
	$(PY) -m csc build

html: data vendor
	$(PY) -m csc build --no-pdf

# Re-run one chapter for another area, e.g. make chapter CHAPTER=family_help AREA="Leeds" VINTAGE=first
chapter: tidy
	$(PY) -m csc chapter $(CHAPTER) $(if $(AREA),--area "$(AREA)") $(if $(VINTAGE),--vintage $(VINTAGE))

# The whole book run for one area, HTML and PDF, e.g. make edition AREA="Leeds" (VINTAGE=first; NO_PDF=1 for HTML only)
edition: tidy vendor
	$(PY) -m csc edition $(if $(AREA),--area "$(AREA)") $(if $(VINTAGE),--vintage $(VINTAGE)) $(if $(NO_PDF),--no-pdf)

# One page per current LA and region in _build/atlas/ (AREAS=E08000035,E12000003 for some; WORKERS=N)
atlas: tidy   ## the atlas: area profiles, only those whose inputs changed
	$(PY) -m csc atlas $(if $(AREAS),--areas "$(AREAS)") $(if $(WORKERS),--workers $(WORKERS))

test: book   ## unit tests, data tests, chapter runs, and the built book (HTML, PDF, browser)
	$(PY) -m pytest -q -ra tests

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not book and not slow" tests

bench: $(VENV)/.installed   ## timings and peak memory of the build and the query interface
	$(PY) scripts/bench.py

lint: $(VENV)/.installed   ## unused names, undefined names, syntax (pyflakes rules)
	$(BIN)/ruff check --select F,E9 csc chapters scripts tests

clean:
	rm -rf _build chapters/*.ipynb data/tidy

distclean: clean
	rm -rf data/raw $(VENV) _vendor
