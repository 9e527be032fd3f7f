# nervepain: `make run` to serve the site locally, `make test` to run the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

# The local port: `make run PORT=8123` (and `make serve`, `make worker` with the same PORT).
# Links the site writes (canonical, feeds, sitemap, email) follow it unless DJANGO_SITE_URL is set.
PORT ?= 8000

.PHONY: run serve serve-front worker loadtest bench bench-moderation bench-wordpress clear-ips clear-spam test lint format superuser venv venv-dev clean lighthouse \
	screenshots

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

## run: set up, migrate, load the seed article and serve http://127.0.0.1:$(PORT)/ (SQLite, debug)
run: export DJANGO_DEBUG ?= 1
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	DJANGO_PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## serve: the production configuration (gunicorn, PostgreSQL, Redis) on http://127.0.0.1:$(PORT)/
serve: venv
	DJANGO_PORT=$(PORT) scripts/serve.sh

## serve-front: `make serve` behind Varnish (deploy/varnish/default.vcl) on http://127.0.0.1:8000/,
## gunicorn on 127.0.0.1:8001 and the workers sending email and front-cache purges (no `make worker`)
serve-front: venv
	scripts/serve-front.sh

## worker: run queued background work for `make serve`: email, and the front-cache purges where a
## front cache is configured (DJANGO_FRONT_CACHE_*)
worker: venv
	DJANGO_PORT=$(PORT) scripts/serve.sh worker

## loadtest: a bounded mixed load (LOADTEST_SECONDS, default 60) and a database check
loadtest: venv
	scripts/loadtest.sh

## bench: throughput, latency, CPU, queries and memory at 0-1000 comments, then the moderation
## queue on 1,000,000 comments (a few minutes each)
bench: venv
	scripts/bench.sh
	scripts/bench-moderation.sh

## bench-moderation: the moderation queue, row actions and email links on 1,000,000 comments
bench-moderation: venv
	scripts/bench-moderation.sh

## bench-wordpress: posting a comment here and on WordPress (Debian's, PHP-FPM with opcache, nginx,
## MariaDB), in alternating rounds; installs the Debian packages as root (a few minutes)
# Not part of `make test` or CI. Options: make bench-wordpress ARGS="--rounds 6 --posts 200"
bench-wordpress: venv
	scripts/bench-wordpress.sh $(ARGS)

## clear-ips: forget commenters' IP addresses older than COMMENTS_IP_RETENTION_DAYS (30); for
## a daily cron job, run with the site's environment (DATABASE_URL, DJANGO_SECRET_KEY...)
clear-ips: export DJANGO_DEBUG ?= 1
clear-ips: venv
	$(BIN)/python manage.py clear_old_ips

## clear-spam: delete spam older than COMMENTS_SPAM_RETENTION_DAYS (30) with its personal data;
## for a daily cron job, like clear-ips
clear-spam: export DJANGO_DEBUG ?= 1
clear-spam: venv
	$(BIN)/python manage.py delete_old_spam

## superuser: create a moderator account with full rights on the local database
superuser: export DJANGO_DEBUG ?= 1
superuser: venv
	$(BIN)/python manage.py createsuperuser

## test: set up and run the whole suite: everything, then the real-browser journeys on their own
## (their live server shares the test database across threads; a separate run keeps that apart)
test: venv-dev
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)
	$(BIN)/pytest -m e2e -rs $(PYTEST_ARGS)

## screenshots: take the README's pictures again (docs/img/) from a test site in chromium
screenshots: venv-dev
	SCREENSHOTS_DIR=docs/img $(BIN)/pytest -m e2e -q tests/e2e/test_screenshots.py

## lint: ruff's checks and formatting
lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## lighthouse: Lighthouse (mobile) on a running `make serve` site: the home page, the seed article,
## its topic's page and a search
# Not part of `make test`. Another port: make lighthouse PORT=8006 (like `make serve PORT=8006`)
LIGHTHOUSE_URL ?= http://127.0.0.1:$(PORT)
LIGHTHOUSE_PAGES ?= / /articles/why-does-nerve-pain-get-worse-after-physical-therapy/ \
  /topics/peripheral-neuropathy/ /search/?q=nerve+pain
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
