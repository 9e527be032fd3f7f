# Production settings on this machine's PostgreSQL and Redis, over plain HTTP on loopback (no
# TLS proxy here: no HTTPS redirect, no secure-only cookies). Sourced by serve.sh, loadtest.sh
# and bench.sh; any variable already set wins.
venv=${VENV:-.venv}
# Without DJANGO_SECRET_KEY, the key kept in $venv/secret_key. The settings create that file on
# first use, atomically (nervepain/secret_key.py): a web server and a worker started together on
# a fresh checkout read the same key, so the links the worker mails work on the site.
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  export DJANGO_SECRET_KEY_FILE="${DJANGO_SECRET_KEY_FILE:-$venv/secret_key}"
fi
export DJANGO_DEBUG=0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nervepain}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DJANGO_SECURE_SSL_REDIRECT="${DJANGO_SECURE_SSL_REDIRECT:-0}"
export DJANGO_SECURE_COOKIES="${DJANGO_SECURE_COOKIES:-0}"
export DJANGO_TASKS_BACKEND="${DJANGO_TASKS_BACKEND:-database}"

# createdb_if_missing URL: create the PostgreSQL database a URL names, if it is not there.
createdb_if_missing() {
  "$venv/bin/python" - "$1" <<'PY'
import sys
from urllib.parse import urlsplit

import psycopg2

url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
admin = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres", dbname="postgres")
admin.autocommit = True
with admin.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(f'CREATE DATABASE "{name}"')
PY
}

# Stopping what a script started in the background (stop_on_signals, then the pids in
# $children): Ctrl-C reaches every process of the terminal's group at once, so the script only
# waits for them (one more signal would make a task worker drop the task it is running);
# SIGTERM (a process manager, `kill`) reaches the script alone, so it passes it on, once.
# Either way the script exits 0; when one of them stops on its own, run_until_one_stops stops
# the others and exits with its status.
children=()
stop_children() { kill -TERM "${children[@]}" 2>/dev/null || true; }
stop_on_signals() {
  trap 'wait || true; '"${1:-}" EXIT
  trap 'exit 0' INT
  trap 'stop_children; exit 0' TERM
}
run_until_one_stops() {
  local status=0
  wait -n "${children[@]}" || status=$?
  stop_children
  exit "$status"
}

# start_workers: `make worker`'s task workers. Email on the default queue; front-cache purges
# on their own, polled every 0.1 s so a change reaches Varnish or the CDN within a fraction of
# a second, never behind a slow email. The purge worker runs only where a front cache is
# configured: one without would take the purges a web process queued, and drop them.
start_workers() {
  stop_on_signals
  "$venv/bin/python" manage.py db_worker --queue-name default & children+=($!)
  if DJANGO_SETTINGS_MODULE=nervepain.settings "$venv/bin/python" -c \
    'from django.conf import settings; exit(not settings.FRONT_CACHES)'; then
    "$venv/bin/python" manage.py db_worker --queue-name frontcache --interval 0.1 --no-reload &
    children+=($!)
  else
    echo "worker: no front cache configured (DJANGO_FRONT_CACHE_*): no purge worker here"
  fi
  run_until_one_stops
}
