#!/usr/bin/env bash
# `make serve-front`: `make serve`'s site with Varnish in front, on this machine. Varnish
# (deploy/varnish/default.vcl) answers on FRONT_BIND (127.0.0.1:8000), gunicorn behind it on
# GUNICORN_BIND (127.0.0.1:8001), and a task worker sends the purges (queue "frontcache").
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v varnishd >/dev/null || { echo "make serve-front needs Varnish (Debian: apt-get install varnish)"; exit 1; }
FRONT_BIND=${FRONT_BIND:-127.0.0.1:8000}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:8001}
export DJANGO_SITE_URL=${DJANGO_SITE_URL:-http://$FRONT_BIND}
export DJANGO_FRONT_CACHE_VARNISH=${DJANGO_FRONT_CACHE_VARNISH:-http://$FRONT_BIND}
export DJANGO_TRUSTED_PROXIES=${DJANGO_TRUSTED_PROXIES:-1}  # Varnish appends X-Forwarded-For
. scripts/serve-env.sh

workdir=$(mktemp -d "${TMPDIR:-/tmp}/nervepain-front.XXXXXX")
chmod 755 "$workdir"
scripts/varnish-backends.sh "$GUNICORN_BIND" > "$workdir/backends.vcl"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT INT TERM

createdb_if_missing "$DATABASE_URL"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_seed
.venv/bin/gunicorn nervepain.wsgi -c nervepain/gunicorn_conf.py & pids+=($!)
.venv/bin/python manage.py db_worker --queue-name frontcache --interval 0.1 --no-reload & pids+=($!)
varnishd -F -a "$FRONT_BIND" -n "$workdir/varnish" -s malloc,256m \
  -f "$PWD/deploy/varnish/default.vcl" -p vcl_path="$workdir:$PWD/deploy/varnish" & pids+=($!)
echo "serve-front: Varnish on http://$FRONT_BIND/, gunicorn on http://$GUNICORN_BIND/"
wait -n "${pids[@]}"
