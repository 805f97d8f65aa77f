# Innover en Baronnies provençales — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help install install-production run test lint format check lock messages clean backup restore bench rehearsal

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: requirements.lock $(BIN)/uv
	# Bytecode compiled once here: otherwise every process compiles what it imports (slower start,
	# and the compiler's garbage stays in each worker's memory where PYTHONDONTWRITEBYTECODE is set).
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the locked dependencies (the site's, and the tests' tools)

# The site's own packages only, at the versions of requirements.lock: what a server runs
# (docs/deployment.md). Without the tests' tools, each gunicorn worker loads less (bench/RESULTS.md).
install-production: $(BIN)/uv ## Server: .venv with the site's packages only (requirements-production.lock)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-production.lock
	@rm -f $(VENV)/.installed

# The same, beside .venv, for the rehearsal's services and the benchmark's gunicorn.
PRODUCTION_VENV := var/venv-production
$(PRODUCTION_VENV)/.installed: requirements-production.lock $(BIN)/uv
	rm -rf $(PRODUCTION_VENV)
	$(PYTHON) -m venv --without-pip $(PRODUCTION_VENV)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(PRODUCTION_VENV)/bin/python requirements-production.lock
	@touch $@

run: install ## Migrate, load the demo content if the database is empty, serve on http://127.0.0.1:8000/
	$(MANAGE) migrate --no-input
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	$(MANAGE) load_demo --if-empty
	@echo ""
	@echo "  Site:  http://$(HOST)/   (English: http://$(HOST)/en/)"
	@echo "  Admin: http://$(HOST)/admin/"
	@echo "  Demo logins (local use only), password demo-baronnies:"
	@echo "    admin (administrator) · parc (park staff, moderator) · asoft, cigale (member editors)"
	@echo ""
	$(MANAGE) runserver $(HOST)

test: install ## Run the whole test suite (SQLite; set DATABASE_URL=postgres://… for PostgreSQL)
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

TEMPLATES = $(shell find . -path ./.venv -prune -o -path ./node_modules -prune -o -path '*/templates/*' -name '*.html' -print)

lint: install ## ruff (lint and format), templates' indentation (djhtml), import rules, Django's checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATES)
	$(BIN)/lint-imports
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: install ## Apply ruff format and djhtml (what make lint checks)
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATES)

messages: install ## Update the French message catalogue (locale/fr/LC_MESSAGES/django.po)
	$(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=var --ignore=node_modules --no-obsolete

lock: $(BIN)/uv ## Re-resolve requirements.lock and requirements-production.lock from pyproject.toml (then commit them)
	$(BIN)/uv pip compile --quiet --extra test --generate-hashes --python-version 3.11 pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 pyproject.toml -c requirements.lock -o requirements-production.lock

backup: install ## Save the database and media in var/backups/site-<date>.tar.gz (or ARCHIVE=path)
	$(MANAGE) backup_site $(ARCHIVE)

restore: install ## Replace the database and media by a backup: make restore ARCHIVE=var/backups/….tar.gz
	@test -n "$(ARCHIVE)" || (echo "Usage: make restore ARCHIVE=var/backups/site-….tar.gz" && exit 2)
	$(MANAGE) restore_site $(ARCHIVE)
rehearsal: install $(PRODUCTION_VENV)/.installed ## The production stack of docs/deployment.md on loopback (nginx, gunicorn, PostgreSQL, Redis, S3, tiles)
	$(BIN)/python scripts/rehearsal.py $(REHEARSAL_ARGS)

bench: install $(PRODUCTION_VENV)/.installed ## Benchmark on PostgreSQL (database wt_perf_bench): generate volumes, then measure (bench/)
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/run.py

clean: ## Remove the virtual environment and local data (database, media)
	rm -rf $(VENV) var media static
