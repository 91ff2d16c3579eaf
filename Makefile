# Netra developer commands. `make install` once, then `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install check lint typecheck layers test bench bench-full demo letters-samples

STAMP := $(VENV)/.installed

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

layers: install
	$(BIN)/lint-imports

check: lint typecheck layers

# The whole suite, on SQLite and PostgreSQL (NETRA_TEST_DATABASE_URL, default 127.0.0.1:5432/test).
test: install
	$(BIN)/python -m pytest -n 2 -q

# Benchmarks against PostgreSQL at NETRA_BENCH_DATABASE_URL (default 127.0.0.1:5432/test),
# with pgbench and the eventsourcing peer in the same run: `bench` is the small suite
# (~2 min), `bench-full` the issue's sizes. Results: bench/results/latest.{json,md}.
bench: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python -m bench

bench-full: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python -m bench --full

# Embedded default: a fresh SQLite file in this folder, the demo cases, and the case list.
demo: install
	rm -f netra.db && $(BIN)/netra demo && $(BIN)/netra --as admin case list

# Sample PDFs (and HTML) of every letter type from the demo data, in a throw-away database.
# Look at them as an official would: pdftoppm -png -r 60 out/letters/<file>.pdf /tmp/page
letters-samples: install
	$(BIN)/netra letter samples --out out/letters
