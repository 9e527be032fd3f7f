# nervepain: `make run` to serve the site locally, `make test` to run the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve worker test lint format superuser venv venv-dev clean lighthouse

# `make serve` / `make worker`: production settings on this machine's PostgreSQL and Redis,
# over plain HTTP on loopback (no TLS proxy here, so no HTTPS redirect and no secure-only
# cookies). A random secret key is kept in .venv/secret_key unless DJANGO_SECRET_KEY is set.
SERVE_ENV = DJANGO_DEBUG=0 \
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nervepain}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(VENV)/secret_key)}" \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
	DJANGO_TASKS_BACKEND="$${DJANGO_TASKS_BACKEND:-database}"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

## run: set up, migrate, load the seed article and serve http://127.0.0.1:8000/ (SQLite, debug)
run: export DJANGO_DEBUG ?= 1
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py runserver 127.0.0.1:8000

$(VENV)/secret_key: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

## serve: the production configuration (gunicorn, PostgreSQL, Redis) on http://127.0.0.1:8000/
serve: venv $(VENV)/secret_key
	@createdb -h 127.0.0.1 -U postgres nervepain 2>/dev/null || true
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py load_seed
	$(SERVE_ENV) $(BIN)/gunicorn nervepain.wsgi -c nervepain/gunicorn.conf.py

## worker: run queued background work (email) for `make serve`
worker: venv $(VENV)/secret_key
	$(SERVE_ENV) $(BIN)/python manage.py db_worker

## superuser: create a moderator account with full rights on the local database
superuser: export DJANGO_DEBUG ?= 1
superuser: venv
	$(BIN)/python manage.py createsuperuser

## test: set up and run the whole suite
test: venv-dev
	$(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff's checks and formatting
lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## lighthouse: Lighthouse (mobile) on a running `make serve` site: the home and seed article pages
# Not part of `make test`. Another address: make lighthouse LIGHTHOUSE_URL=http://127.0.0.1:8006
LIGHTHOUSE_URL ?= http://127.0.0.1:8000
LIGHTHOUSE_PAGES ?= / /articles/why-does-nerve-pain-get-worse-after-physical-therapy/
LIGHTHOUSE_CHROME ?= /usr/bin/chromium
LIGHTHOUSE_FLAGS = --headless --no-sandbox --disable-gpu --disable-background-networking

node_modules/.bin/lighthouse: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Prints "<url>: Performance N, Accessibility N, Best Practices N, SEO N" from a JSON report.
export LIGHTHOUSE_SCORES = const r = require(process.argv[1]); \
  const s = Object.values(r.categories).map(c => c.title + " " + Math.round(c.score * 100)); \
  console.log(r.finalDisplayedUrl + ": " + s.join(", "));

lighthouse: node_modules/.bin/lighthouse
	@mkdir -p lighthouse-results
	@set -e; for page in $(LIGHTHOUSE_PAGES); do \
	  report="lighthouse-results/$$(echo "$$page" | tr -c 'a-z0-9' '-' | sed 's/^-*//; s/-*$$//; s/^$$/home/').json"; \
	  CHROME_PATH=$(LIGHTHOUSE_CHROME) node_modules/.bin/lighthouse "$(LIGHTHOUSE_URL)$$page" \
	    --quiet --form-factor=mobile \
	    --only-categories=performance,accessibility,best-practices,seo \
	    --chrome-flags="$(LIGHTHOUSE_FLAGS)" --output=json --output-path="$$report"; \
	  node -e "$$LIGHTHOUSE_SCORES" "$$PWD/$$report"; \
	done

format: venv-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules lighthouse-results
