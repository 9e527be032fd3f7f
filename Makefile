# nervepain: `make run` to serve the site locally, `make test` to run the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve worker loadtest bench test lint format superuser venv venv-dev clean

## serve: the production configuration (gunicorn, PostgreSQL, Redis) on http://127.0.0.1:8000/
serve: venv
	scripts/serve.sh

## worker: run queued background work (email) for `make serve`
worker: venv
	scripts/serve.sh worker

## loadtest: a bounded mixed load (LOADTEST_SECONDS, default 60) and a database check
loadtest: venv
	scripts/loadtest.sh

## bench: throughput, latency, CPU, queries and memory at 0-1000 comments (a few minutes)
bench: venv
	scripts/bench.sh

## superuser: create a moderator account with full rights on the local database
superuser: export DJANGO_DEBUG ?= 1
superuser: venv
	$(BIN)/python manage.py createsuperuser

## test: set up and run the whole suite: everything, then the real-browser journeys on their own
## (their live server shares the test database across threads; a separate run keeps that apart)
test: venv-dev
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)
	$(BIN)/pytest -m e2e -rs $(PYTEST_ARGS)

## lint: ruff's checks and formatting
lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
