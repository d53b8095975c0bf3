# `make run` serves the shop on SQLite; `make test` runs lint, types, import contracts and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint format unit integration browser bench fuzz client clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/allora db upgrade
	ALLORA_OUTBOX_IN_PROCESS=$${ALLORA_OUTBOX_IN_PROCESS:-1} $(BIN)/allora serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

unit: install
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

integration: install
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

# Headless Chromium against a real server (Debian's chromium; skipped when it is missing).
browser: install
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

# Load benchmark against a ceiling measured in the same run (PostgreSQL, Redis and wrk needed).
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Longer schema-driven fuzzing (make test runs a bounded pass).
fuzz: install
	ALLORA_FUZZ_EXAMPLES=$${ALLORA_FUZZ_EXAMPLES:-300} $(BIN)/pytest tests/fuzz $(PYTEST_ARGS)

# The storefront's TypeScript client matches the OpenAPI document and type-checks (Node 20+).
client: install
	clients/typescript/check.sh

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-output
