# QAF: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
INSTALLED := $(VENV)/.installed
ASSETS := qaf/static/govuk/.copied
GOVUK := node_modules/govuk-frontend/dist/govuk
HOST ?= 127.0.0.1
PORT ?= 5000
# pytest-xdist processes for the suite: one a CPU; PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
# The tests' files (a SQLite database each) on the RAM disk where there is one: SQLite syncs every commit to disk.
TEST_TMPDIR ?= $(if $(wildcard /dev/shm/.),/dev/shm,$(or $(TMPDIR),/tmp))
PYTEST := TMPDIR=$(TEST_TMPDIR) $(BIN)/pytest -n $(PYTEST_WORKERS)

.DEFAULT_GOAL := help
.PHONY: help setup run worker db test lint format typecheck pytest test-postgres bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: $(INSTALLED) $(ASSETS) ## Create .venv, install pinned requirements and GOV.UK Frontend's assets

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(ASSETS): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf qaf/static/govuk qaf/static/fonts qaf/static/images qaf/static/manifest.json
	mkdir -p qaf/static/govuk
	cp $(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.js qaf/static/govuk/
	cp -r $(GOVUK)/assets/fonts $(GOVUK)/assets/images $(GOVUK)/assets/manifest.json qaf/static/
	touch $@

db: setup ## Create or migrate the SQLite database in instance/ and add demo data the first time
	$(FLASK) qaf init-db
	$(FLASK) qaf demo-data --first-time-only

run: db ## Set everything up and serve the site with demo data on http://127.0.0.1:5000
	@echo
	@echo "QAF is starting on http://$(HOST):$(PORT)"
	@echo "  Home page:                 http://$(HOST):$(PORT)/"
	@echo "  Family feedback:           http://$(HOST):$(PORT)/feedback/family"
	@echo "  Child-friendly feedback:   http://$(HOST):$(PORT)/feedback/child"
	@echo "  Link for a team and stage: http://$(HOST):$(PORT)/feedback/family?team=ashford-ehu&stage=closure"
	@echo "  Staff sign in:             http://$(HOST):$(PORT)/sign-in"
	@echo "  The job queue's worker runs alongside (case list imports); it stops with the server."
	@echo
	@$(FLASK) qaf worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

worker: db ## Run the job queue's worker on its own (case list imports), as a deployment does beside gunicorn
	$(FLASK) qaf worker

test: setup lint typecheck pytest ## Lint and typecheck, then run the whole test suite (browser tests included)

pytest: setup ## Run the whole test suite, in parallel (PYTEST_WORKERS=0: in one process)
	$(PYTEST)

test-postgres: setup ## Run the suite against PostgreSQL as well (TEST_DATABASE_URL, default the local server)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(PYTEST)

lint: setup ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: setup ## mypy, strict on formspec/
	$(BIN)/mypy

bench: setup ## Benchmark form submissions against a bare Flask app (see bench/README.md)
	$(BIN)/python bench/submissions.py

clean: ## Remove .venv, node_modules and the copied assets (keeps instance/)
	rm -rf $(VENV) node_modules qaf/static/govuk qaf/static/fonts qaf/static/images qaf/static/manifest.json
