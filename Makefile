# nervepain: `make run` to serve the site locally, `make test` to run the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format superuser venv venv-dev clean

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

format: venv-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
