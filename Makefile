# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first interpreter that really runs and is 3.12+ (pyenv shims exist but may refuse to run).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= baolam-demo
export DEMO_PASSWORD

.PHONY: help venv run serve test check lint format messages clean bench

help:
	@echo "make run    - install, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test tools and run the test suite (DATABASE_URL or SQLite)"
	@echo "make check  - lint, format check, migrations check, deploy check"
	@echo "make bench  - benchmark key pages on PostgreSQL with gunicorn (SCALE=district|province)"
	@echo "make loadtest - 50 users for 2 minutes against gunicorn and PostgreSQL (locust)"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "Error: Python 3.12 or newer is required (python3.13, python3.12 or python3)."; \
		echo "Fix: install it (e.g. 'pyenv install 3.13' - this project's .python-version selects it) and run make again."; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

venv: $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo
	$(PY) manage.py remind --now
	@echo ""
	@echo "Portal: http://$(HOST):$(PORT)  - demo accounts: admin, chihuy, trolyhuyen, vinhquang, lybon, ... (password: $(DEMO_PASSWORD))"
	@echo ""
	@# The background worker (django.tasks, queue in the database) runs beside the server and stops with it.
	@$(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(BIN)/pytest $(PYTEST_ARGS)

check: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=baolam_portal.settings.production \
	SECRET_KEY="sample-$$(date +%s)-a-long-random-secret-key-for-the-deploy-check-only-0123456789" \
	ALLOWED_HOSTS=portal.example.vn \
	$(PY) manage.py check --deploy --fail-level WARNING

lint: $(VENV)/.dev
	$(BIN)/ruff check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l vi --no-location --ignore=.venv --ignore=var --ignore=static --ignore=test-results
	$(PY) manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles .pytest_cache .ruff_cache

# Benchmark on PostgreSQL (bench/README.md): SCALE=district (~3,000 people) or province (~100,000).
SCALE ?= district
BENCH_ARGS ?=
bench: $(VENV)/.runtime
	$(PY) bench/run.py --scale $(SCALE) $(BENCH_ARGS)

# Load test (loadtest/README.md): 50 users for 2 minutes against gunicorn + PostgreSQL at province scale.
# `make loadtest SCALE=district` for the small data set; LOADTEST_ARGS="--users 20 --time 30s" to change the run.
# locust is installed on demand: it is not part of requirements-dev.txt.
LOADTEST_SCALE ?= $(if $(filter command line environment,$(origin SCALE)),$(SCALE),province)
LOADTEST_ARGS ?=
.PHONY: loadtest
loadtest: $(VENV)/.runtime
	@$(PY) -c 'import locust' 2>/dev/null || $(BIN)/pip install --quiet locust==2.47.0
	$(PY) loadtest/run.py --scale $(LOADTEST_SCALE) $(LOADTEST_ARGS)
