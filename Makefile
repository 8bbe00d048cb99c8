# backlib — every target installs what it needs into .venv, is idempotent,
# and is quick when everything is already installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BASE_STAMP := $(VENV)/.base-installed
DEV_STAMP  := $(VENV)/.dev-installed
LAB_STAMP  := $(VENV)/.lab-installed
# Git's nbstripout filter (.gitattributes names it for *.ipynb) is set by backlib.output_filter
# (backlib lab does it too): running a notebook leaves git clean.
HOST   ?= 127.0.0.1
# Empty: each command's own default (app 8866, lab 8888).
PORT   ?=
# Empty: app and lab use $$BACKLIB_STORE when exported, else the demo store.
STORE  ?=
DEMO_STORE := sqlite:///$(CURDIR)/data/demo/demo.db
# The store reaches backlib through its environment (exported for these targets only), never
# its argv, which `ps` shows; the recipes `exec` it, so no shell stays alive holding the URL in
# its command line either, and start with @ so make does not echo it. make's own argv is still
# visible: `export BACKLIB_STORE=…` before `make app` keeps a password out of `ps` entirely.
ifneq ($(STORE),)
app lab: export BACKLIB_STORE = $(STORE)
endif
demo report: export BACKLIB_STORE = $(or $(STORE),$(DEMO_STORE))
SERVER_OPTIONS := --host $(HOST)$(if $(PORT), --port $(PORT),)

.PHONY: help app app-own lab strip-outputs test lint bench figures report demo install install-dev clean
.DEFAULT_GOAL := help

## make help: this list of targets
help:
	@grep -E '^## make ' $(MAKEFILE_LIST) | sed -e 's/^## make /  make /' -e 's/: /\t/' | expand -t 22

## make install: the package and what it needs, into .venv
install: $(BASE_STAMP)
## make install-dev: the package with the test and lint tools, into .venv
install-dev: $(DEV_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(BASE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(BASE_STAMP) $@

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[lab]'
	touch $(BASE_STAMP) $@

## make strip-outputs: the git filter that strips notebook outputs on commit (make lab sets it)
strip-outputs: $(LAB_STAMP)
	@$(BIN)/python -m backlib.output_filter

## make app: the workbook app ($BACKLIB_STORE, or STORE=URL, else the demo; HOST, PORT)
app: $(BASE_STAMP)
	@exec $(BIN)/backlib app $(SERVER_OPTIONS)

## make app-own: the app over your own store in your data folder (to track yourself)
app-own: $(BASE_STAMP)
	@exec $(BIN)/backlib app --own $(SERVER_OPTIONS)

## make lab: JupyterLab on notebooks/ (same STORE, HOST and PORT), outputs stripped on commit
lab: strip-outputs
	@exec $(BIN)/backlib lab $(SERVER_OPTIONS)

## make test: lint, unit tests and every notebook under nbval
test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

## make lint: ruff's checks and format check
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make bench: every benchmark in benchmarks/, printing its figures
bench: $(DEV_STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

## make figures: every exercise figure on one page, docs/figures.html, and PNGs of it (Chromium)
figures: $(DEV_STAMP)
	$(BIN)/python -m backlib.figures.contact_sheet docs/figures.html --preview docs/figures-preview.png

## make demo: (re)create the demo store
demo: $(BASE_STAMP)
	@exec $(BIN)/backlib demo --replace

## make report: the demo patients' progress reports in reports/
report: $(BASE_STAMP)
	@exec $(BIN)/backlib report --all --out reports

## make clean: remove .venv, builds and reports
clean:
	rm -rf $(VENV) build dist *.egg-info reports .pytest_cache
