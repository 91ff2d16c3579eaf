# Netra developer commands. `make install` once, then `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install check lint typecheck layers test bench bench-full demo letters-samples

install:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

layers:
	$(BIN)/lint-imports

check: lint typecheck layers

test:
	$(BIN)/python -m pytest -n 2 -q

demo:
	rm -f netra.db && $(BIN)/netra demo && $(BIN)/netra --as admin case list
