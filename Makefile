# Netra developer commands. `make install` once, then `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install runtime check lint typecheck layers test bench bench-full demo run letters-samples

STAMP := $(VENV)/.installed

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(STAMP)

# The editable install ships no bytecode and PYTHONDONTWRITEBYTECODE (set in the image and
# often in CI) stops Python from writing it, so every `netra` command would compile Netra's
# own modules again; compile them once (only changed files are compiled again).
COMPILE := $(BIN)/python -m compileall -q rules states db letters cases workflows cli api web

install: $(STAMP)
	@$(COMPILE) > /dev/null

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
# (~4 min), `bench-full` the issue's sizes. Results: bench/results/latest.{json,md}.
bench: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python -m bench

bench-full: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python -m bench --full

# What running needs, nothing more (no dev or bench extras), with pip's progress shown.
RUNTIME := $(VENV)/.runtime
$(RUNTIME): pyproject.toml constraints.txt
	@echo "[1/3] Menyiapkan .venv dan memasang dependensi runtime (beberapa menit saat pertama)..."
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --progress-bar on pip
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e .
	touch $(RUNTIME)

runtime: $(RUNTIME)
	@$(COMPILE) > /dev/null

# The officers' web app on a fresh SQLite file with the demo data; prints the URL and one
# sign-in per role. `make run` keeps an existing netra.db.
demo: runtime
	@echo "[2/3] Basis data demo baru: ./netra.db"
	rm -f netra.db
	@echo "[3/3] Menjalankan aplikasi web"
	$(BIN)/netra web --demo

run: runtime
	$(BIN)/netra web --demo

# Sample PDFs (and HTML) of every letter type from the demo data, in a throw-away database.
# Look at them as an official would: pdftoppm -png -r 60 out/letters/<file>.pdf /tmp/page
letters-samples: install
	$(BIN)/netra letter samples --out out/letters
