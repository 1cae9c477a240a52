# Diming: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
# Both install what is missing (Debian/Ubuntu packages, .venv, npm libraries) and start the private
# PostgreSQL + PostGIS cluster under var/postgres unless DATABASE_URL points at one.

SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test bench deps venv node db stop migrate demo lint check-deploy messages clean-db

run: deps db migrate messages
	@$(MANAGE) load_demo --if-empty
	@$(MANAGE) ensure_admin
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/); background jobs run alongside"
	@$(MANAGE) run_jobs & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

test: deps db messages
	@$(PY) -m ruff check .
	@$(PY) -m pytest $(PYTEST_ARGS)

bench: deps db migrate
	@scripts/system-deps.sh bench
	@$(PY) -m bench

deps: .venv/.installed node_modules/.installed
	@scripts/system-deps.sh

.venv/.installed: pyproject.toml requirements.lock
	@scripts/system-deps.sh
	@test -x $(PY) || python3 -m venv .venv
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	@scripts/system-deps.sh
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

db:
	@if [ -z "$$DATABASE_URL" ]; then scripts/db.sh start; else echo "Using DATABASE_URL"; fi

stop:
	@scripts/db.sh stop

migrate:
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) createcachetable

messages:
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0

lint:
	@$(PY) -m ruff check .

check-deploy:
	@DIMING_PROFILE=production DJANGO_SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=dm.example.org $(MANAGE) check --deploy --fail-level WARNING

clean-db: stop
	rm -rf var/postgres
