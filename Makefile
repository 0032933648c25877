# alskg — two commands: `make run` (set up, build, validate, answer the showcase queries)
# and `make test` (set up, run the tests). Everything else is a step of those two.
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ALSKG  := $(BIN)/alskg
BUILD  ?= build
SCOPE  ?= als
SHOWCASE ?= disease-phenotypes-by-frequency subtypes drugs-and-approvals disease-characteristics dataset-metadata

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

.PHONY: install
install: $(VENV)/.installed ## create .venv and install alskg with its pinned dependencies

.PHONY: build
build: install ## build the graph: $(BUILD)/alskg.ttl, .nt, .nq and the store
	$(ALSKG) build --out $(BUILD) --scope $(SCOPE)

.PHONY: validate
validate: build ## validate the built graph against shapes/
	$(ALSKG) validate --build-dir $(BUILD)

.PHONY: showcase
showcase: build ## answer the showcase queries on the embedded store
	@for q in $(SHOWCASE); do echo; echo "## $$q"; $(ALSKG) query run $$q --build-dir $(BUILD) --format table; done

RELEASE ?= release

.PHONY: release
release: install ## build, check and write the ALS-scope release folder $(RELEASE)/alskg-V/ (every format, KGX, checksums)
	$(ALSKG) release --scope $(SCOPE) --out $(RELEASE) --build-dir $(BUILD)

.PHONY: diff
diff: install ## where the GARD page and the HPO release disagree ($(BUILD)/diff.tsv, .json)
	@mkdir -p $(BUILD)
	$(ALSKG) diff --out $(BUILD)/diff.tsv --out $(BUILD)/diff.json

.PHONY: run
run: build validate showcase diff ## the main job: build, validate, answer the showcase queries, show the GARD-vs-HPO differences

SITE ?= $(BUILD)/site

.PHONY: site
site: build diff ## static pages of the ALS family into $(SITE)/ (open $(SITE)/index.html)
	$(ALSKG) site --build-dir $(BUILD) --out $(SITE) --scope $(SCOPE)

.PHONY: browser
browser: ## install headless Chromium (Debian chromium) for the browser tests when missing; they skip where it cannot be
	@command -v chromium >/dev/null || { \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "could not install chromium: the browser tests will skip"; }

# `make test` runs the suite in TEST_WORKERS processes (pytest-xdist), one module per worker at a
# time (--dist loadscope: a module's fixtures are made once); `TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2

.PHONY: test
test: install browser ## set up and run the test suite (in $(TEST_WORKERS) worker processes)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope

.PHONY: virtuoso
virtuoso: ## install Virtuoso 7.2 (Debian virtuoso-opensource) when missing, without starting its system service (it would listen on every interface)
	@command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || { \
	  if [ -e /usr/sbin/policy-rc.d ]; then keep=1; else keep=0; printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; status=$$?; \
	  [ $$keep = 1 ] || rm -f /usr/sbin/policy-rc.d; exit $$status; }

.PHONY: test-stores
test-stores: install virtuoso ## every packaged query on the embedded store, an Oxigraph server and Virtuoso: byte-identical
	$(BIN)/python -m pytest -q -m stores tests/stores

.PHONY: test-trials
test-trials: install ## the slow trials kept out of `make test` (marked trials): rebuilds, killed builds, concurrent submits, SHACL cross-checks
	$(BIN)/python -m pytest -q -m trials

.PHONY: test-faults
test-faults: install ## the randomized fault trials (kill -9 of builds and submits, racing readers), bounded
	$(BIN)/python -m pytest -q -m faults tests/faults

.PHONY: clean
clean: ## remove build outputs (keeps .venv)
	rm -rf $(BUILD) $(RELEASE) dist
