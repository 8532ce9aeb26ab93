# Two commands: `make run` (a working back office on http://127.0.0.1:$(PORT)/admin/)
# and `make test`. Everything else is for CI and maintainers.

PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; pip runs again only when pyproject.toml is newer.
INSTALLED := $(VENV)/.installed

# `make run` and `make bench` are development: DEBUG on unless the caller says otherwise.
run bench bench-floors: export DJANGO_DEBUG ?= true

.PHONY: run test lint bench bench-http bench-floors check-deploy install worker beat messages compile-messages

# PORT reaches settings too: PUBLIC_BASE_URL (guest links) defaults to the address served.
run: export PORT := $(PORT)
run: $(INSTALLED) .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py warm_cache
	@echo
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/   API reference: http://127.0.0.1:$(PORT)/api/docs/"
	@echo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# What `manage.py` commands run from a shell read (hotelagent/settings.py): written once,
# never committed, yours to edit; the environment wins over it.
.env: | $(BIN)/python
	@umask 077 && printf '%s\n' \
	  '# Development settings written by `make run`; the environment wins over them.' \
	  'DJANGO_DEBUG=true' \
	  "SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  '# The port `make run` served when it wrote this file: shell commands build guest links with it.' \
	  'PORT=$(PORT)' > $@
	@echo "Wrote $@ (DJANGO_DEBUG=true, a new SECRET_KEY, PORT=$(PORT)) for manage.py commands."

# A Celery worker and the (single) beat, against Redis: run `make run` with the same
# REDIS_URL so the web queues its tasks there too.
worker beat: export DJANGO_DEBUG ?= true
worker beat: export REDIS_URL ?= redis://127.0.0.1:6379/0
worker: $(INSTALLED) .env
	$(BIN)/celery -A hotelagent worker -l info
beat: $(INSTALLED) .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/celery -A hotelagent beat -l info

test: $(INSTALLED)
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# benchmarks/README.md: each scenario next to its reference, alternating rounds, ratios and targets.
# `make bench` is in-process (SQLite works, with a note); `make bench-http` needs PostgreSQL,
# Redis and wrk (`apt-get install -y wrk`; without it a slower Python load generator runs).
bench: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python benchmarks/suite.py $(BENCH_ARGS)

# The three costs that put the webhook's floor well under its 0.8x target (PostgreSQL, Redis).
bench-floors: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python benchmarks/floors.py $(BENCH_ARGS)

bench-http: $(INSTALLED)
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	$(BIN)/python benchmarks/http_suite.py $(BENCH_ARGS)

# What production sees: DEBUG off, a real-looking secret, one allowed host.
check-deploy: $(INSTALLED)
	DJANGO_DEBUG=false ALLOWED_HOSTS=hotel.example \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Translations (locale/es, locale/en): `make messages` after changing any string staff or
# guests read, translate the new entries in locale/es/LC_MESSAGES/django.po, then
# `make compile-messages` (CI compiles them too; tests/test_translations.py checks none is missing).
messages: $(INSTALLED)
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l es -l en --no-obsolete \
	  --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=deploy
compile-messages: $(INSTALLED)
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)
