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
