# Two commands for a newcomer: `make run` and `make test`. Everything else is plumbing for them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The interpreter named in .python-version (pyenv), falling back to a python3.13/3.12 on PATH.
PYTHON_VERSION := $(shell cat .python-version)
BASE_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python) \
	$(shell command -v python3.13 || command -v python3.12))
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help run test browser lint check-migrations migrate demo serve worker backup restore bench clean messages

help:
	@echo "make run   - install, migrate, load the demo data and serve http://127.0.0.1:8000"
	@echo "make test  - lint and run the whole test suite on SQLite"
	@echo "make serve - production pieces: gunicorn and a task worker (make worker: a worker alone)"

$(PY):
	@test -n "$(BASE_PYTHON)" || { echo "Python $(PYTHON_VERSION) niet gevonden (pyenv install $(PYTHON_VERSION))"; exit 1; }
	$(BASE_PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py loaddata fixtures/seed.json
	$(PY) manage.py demo_clerk

# The worker that sends e-mail and runs imports: RQ's on Redis with TASKS_BACKEND=rq (its scheduler runs the
# delayed retries), otherwise the database backend's. One shell line, so it can run beside the server.
WORKER = if [ "$${TASKS_BACKEND:-database}" = rq ]; then exec $(PY) manage.py rqworker --with-scheduler default; \
	else exec $(PY) manage.py db_worker --no-reload $(WORKER_ARGS); fi

# The server and a worker under one command: Ctrl-C (or the server stopping) stops the worker too.
run: demo
	@( $(WORKER) ) & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# A worker alone, e.g. on a second machine (same DATABASE_URL, or TASKS_BACKEND=rq and REDIS_URL).
worker: $(STAMP)
	@$(WORKER)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# The browser tests drive Debian's Chromium (Playwright cannot download a browser here): install it
# when it is missing, so `make test` alone passes on a fresh machine.
browser:
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || command -v chromium >/dev/null || \
		{ echo "Chromium ontbreekt: apt-get install chromium"; apt-get update -qq && apt-get install -y -qq chromium; }

test: lint check-migrations browser
	$(PY) -m pytest

# Production-like serving: gunicorn (gthread) + whitenoise and one task worker, configured by the environment
# only. More web servers or workers on other machines: see the README ("Background tasks").
serve: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	@( $(WORKER) ) & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi:application --worker-class gthread \
		--workers $${WEB_CONCURRENCY:-2} --threads $${GUNICORN_THREADS:-4} \
		--bind $${BIND:-127.0.0.1:8000} --access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# Backups: SQLite file copy, or pg_dump custom format for PostgreSQL (BACKUP=path to choose the file).
BACKUP ?= var/backup-$(shell date +%Y%m%d-%H%M%S)
backup: $(STAMP)
	$(PY) manage.py backup_database $(BACKUP)

restore: $(STAMP)
	@test -n "$(FROM)" || { echo "Gebruik: make restore FROM=var/backup-..."; exit 1; }
	$(PY) manage.py restore_database $(FROM)

bench: $(STAMP)
	$(PY) benchmarks/bench_transcripts.py
	$(PY) benchmarks/bench_pages.py

messages: $(STAMP)
	cd tracker && ../$(PY) ../manage.py makemessages -l nl -l en && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var/db.sqlite3
