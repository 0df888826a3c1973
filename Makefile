# Kosodate Portal — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app webapp
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve test lint test-sqlite test-pg install install-test chromium translations db demo reindex bench bench-search bench-redeem bench-http clean

$(VENV)/.stamp-install: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.stamp-install translations

translations: $(VENV)/.stamp-install
	$(FLASK) translate compile >/dev/null

# Debian's chromium (and CJK fonts so pages render Japanese) for the browser tests.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  echo "Installing Debian packages: chromium fonts-noto-cjk"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Browser-side test tools (axe-core for the accessibility audit), pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

db: install
	$(FLASK) init-db

demo: db
	$(FLASK) seed-demo

reindex: install
	$(FLASK) reindex

run: demo reindex
	SESSION_COOKIE_SECURE=0 MAIL_BACKEND=$${MAIL_BACKEND:-outbox} $(FLASK) run --debug --host 127.0.0.1 --port 5000

# Production: gunicorn (gunicorn.conf.py) with its index worker, after bringing the schema up to date.
# Needs KOSODATE_ENV=production and a SECRET_KEY (refused otherwise); DATABASE_URL, SEARCH_INDEX_DIR, PORT, ...
serve: install
	mkdir -p instance
	$(FLASK) init-db
	$(VENV)/bin/gunicorn -c gunicorn.conf.py 'webapp:create_app()'

test: install chromium node_modules/.package-lock.json lint test-sqlite test-pg

# Lint, types and import boundaries (configured in pyproject.toml and setup.cfg), then the catalogs.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(FLASK) translate check

test-sqlite:
	$(PY) -m pytest -q

# The same suite against the PostgreSQL server on this machine. With CI=true an unreachable server fails the run.
test-pg:
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(subst postgresql+psycopg,postgresql,$(PG_TEST_URL))', connect_timeout=3).close()" 2>/dev/null; then \
	  TEST_DATABASE_URL='$(PG_TEST_URL)' $(PY) -m pytest -q; \
	elif [ "$$CI" = "true" ]; then \
	  echo "ERROR: PostgreSQL at $(PG_TEST_URL) is unreachable and CI=true" >&2; exit 1; \
	else \
	  echo "WARNING: PostgreSQL at $(PG_TEST_URL) unreachable: PostgreSQL run skipped (CI=true makes this fatal)"; \
	fi

bench: bench-search bench-redeem bench-http

bench-search: install
	$(PY) bench/search.py --facilities 50000

bench-redeem: install
	$(PY) bench/redeem.py

# Pages/s and redemptions/s through gunicorn (and `flask run`), measured with wrk (Debian package).
bench-http: install
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/http_load.py

clean:
	rm -rf $(VENV) instance *.egg-info node_modules
