#!/usr/bin/env bash
# `make serve`: collect static files, migrate, load the seed, then gunicorn on 127.0.0.1:$DJANGO_PORT
# (8000; `make serve PORT=8123`).
# `make worker` (scripts/serve.sh worker): the background workers for queued email and front-cache
# purges, once the database is migrated.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/serve-env.sh
case "${1:-web}" in
  web)
    createdb_if_missing "$DATABASE_URL"
    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/python manage.py migrate --noinput -v0
    .venv/bin/python manage.py load_seed
    .venv/bin/python manage.py refresh_pages
    exec .venv/bin/gunicorn nervepain.wsgi -c nervepain/gunicorn_conf.py
    ;;
  worker)
    # Started beside `make serve` on a fresh checkout, the schema may not exist yet: wait for it.
    .venv/bin/python manage.py wait_for_schema --timeout "${WORKER_SCHEMA_TIMEOUT:-300}"
    start_workers
    ;;
esac
