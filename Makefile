# Diming: `make run` serves the demo on http://127.0.0.1:8000 as the product runs on one machine (granian, DEBUG off,
# the background worker supervised), `make test` runs the whole suite, `make dev` serves with runserver's autoreload.
# They install what is missing (Debian/Ubuntu packages, .venv, npm libraries) and start a private PostgreSQL +
# PostGIS cluster unless DATABASE_URL points at one: var/postgres (durable) for run and dev, var/postgres-test (fast,
# throwaway data only) for tests and benchmarks.

SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs on two processes (pytest-xdist, each with its own test database); PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2
export PYTHONDONTWRITEBYTECODE := 1

# The test cluster's URL, unless DATABASE_URL names a database to test against.
TEST_DB = DATABASE_URL=$${DATABASE_URL:-$$(scripts/db.sh url test)}

.PHONY: run dev service port-free test bench deps venv node db test-db stop backup restore backup-before-migrate migrate demo lint check-deploy messages static clean-db

# The product on one machine, plain HTTP on loopback: the `local` profile (DEBUG off, a secret key made once in
# var/secret-key, Chinese error pages, static files served by the app), granian, and the worker kept running.
# For the office's other computers and the crews' tablets: HOST=0.0.0.0, DIMING_PUBLIC_BASE_URL=https://<address>:PORT
# and HTTPS with the bureau's certificate, DIMING_TLS_CERT and DIMING_TLS_KEY (checked by scripts/serving.py).
run: export DIMING_PROFILE := $(or $(DIMING_PROFILE),local)
run: port-free deps db backup-before-migrate migrate messages static
	@$(MANAGE) load_demo --if-empty
	@$(MANAGE) ensure_admin
	@scripts/serving.py $(HOST) $(PORT)
	@echo "Background jobs run alongside; log: var/log/diming.log"
	@keeper=$$([ -z "$$DATABASE_URL" ] && echo "db=scripts/db.sh keep dev"); \
	if [ -n "$$DIMING_TLS_CERT" ]; then \
	  export GRANIAN_SSL_CERTIFICATE="$$DIMING_TLS_CERT" GRANIAN_SSL_KEYFILE="$$DIMING_TLS_KEY" GRANIAN_SSL_PROTOCOL_MIN=tls1.2; \
	fi; \
	exec scripts/supervise.py --log var/log/diming.log \
	  web="$(PY) -m granian --interface wsgi config.wsgi:application --host $(HOST) --port $(PORT) \
	       --workers $${WEB_WORKERS:-2} --blocking-threads $${WEB_THREADS:-4} --respawn-failed-workers --no-access-log" \
	  worker="$(MANAGE) run_jobs" $${keeper:+"$$keeper"}

# A port in use would have the server fail and be restarted over and over: said at once instead.
port-free:
	@scripts/port_free.py $(HOST) $(PORT)

# `make run` as a systemd service: it starts with the machine and is restarted if it stops (scripts/service.sh).
service:
	@HOST=$(HOST) PORT=$(PORT) scripts/service.sh

# Development: runserver with autoreload and DEBUG on, the worker alongside.
dev: port-free deps db migrate messages
	@$(MANAGE) load_demo --if-empty
	@$(MANAGE) ensure_admin
	@exec scripts/supervise.py web="$(MANAGE) runserver $(HOST):$(PORT)" worker="$(MANAGE) run_jobs"

# The suite runs each benchmark at a tiny scale (tests/bench), so it installs what they need (wrk) too.
test: deps test-db messages
	@scripts/system-deps.sh bench
	@$(PY) -m ruff check .
	@.venv/bin/lint-imports --no-logo --no-cache
	@$(TEST_DB) $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: deps test-db
	@scripts/system-deps.sh bench
	@$(TEST_DB) $(MAKE) --no-print-directory migrate
	@$(TEST_DB) $(PY) -m bench

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
	@if [ -z "$$DATABASE_URL" ]; then scripts/db.sh start dev; else echo "Using DATABASE_URL"; fi

test-db:
	@if [ -z "$$DATABASE_URL" ]; then scripts/db.sh start test; else echo "Using DATABASE_URL"; fi

stop:
	@scripts/db.sh stop all

# A backup now, or a restore (`make restore BACKUP=var/backups/diming-...`; ARGS=--force while it serves), with the
# service's settings (var/service.env, from `make service`) where it has them: they go where the service's go.
backup restore: export DIMING_PROFILE := $(or $(DIMING_PROFILE),local)
backup: deps
	@scripts/service_env.py $(MAKE) --no-print-directory -s db
	@scripts/service_env.py $(MANAGE) backup $(ARGS)

restore: deps
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/diming-YYYYMMDD-HHMMSS (make backup ARGS=--list shows them)" >&2; exit 2; }
	@scripts/service_env.py $(MAKE) --no-print-directory -s db
	@scripts/service_env.py $(MANAGE) restore "$(BACKUP)" $(ARGS)

# A schema upgrade under `make run` keeps a backup of the data as it was (manage.py backup --before-migrate).
backup-before-migrate:
	@$(MANAGE) backup --before-migrate

migrate:
	@$(MANAGE) migrate --noinput -v 0

messages:
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0

static:
	@$(MANAGE) collectstatic --noinput -v 0

lint:
	@$(PY) -m ruff check .
	@.venv/bin/lint-imports --no-logo --no-cache

check-deploy:
	@DIMING_PROFILE=production DJANGO_SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=dm.example.org $(MANAGE) check --deploy --fail-level WARNING

# A cluster kept under /var/tmp for a checkout the postgres user cannot enter goes too, not only its link in var/.
clean-db: stop
	rm -rf "$$(readlink -f var/postgres)" "$$(readlink -f var/postgres-test)" var/postgres var/postgres-test
