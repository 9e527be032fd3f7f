#!/usr/bin/env bash
# `make serve-front`: `make serve`'s site with Varnish in front, on this machine. Varnish
# (deploy/varnish/default.vcl) answers on FRONT_BIND (127.0.0.1:8000), gunicorn behind it on
# GUNICORN_BIND (127.0.0.1:8001), and the task workers send the email (queue "default") and the
# purges (queue "frontcache"): no `make worker` beside it. Ctrl-C stops them all.
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
stop_on_signals 'rm -rf "$workdir"'

createdb_if_missing "$DATABASE_URL"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_seed
.venv/bin/python manage.py refresh_pages
.venv/bin/gunicorn nervepain.wsgi -c nervepain/gunicorn_conf.py & children+=($!)
.venv/bin/python manage.py db_worker --queue-name default & children+=($!)
.venv/bin/python manage.py db_worker --queue-name frontcache --interval 0.1 --no-reload & children+=($!)
varnishd -F -a "$FRONT_BIND" -n "$workdir/varnish" -s malloc,256m \
  -f "$PWD/deploy/varnish/default.vcl" -p vcl_path="$workdir:$PWD/deploy/varnish" & children+=($!)
echo "serve-front: Varnish on http://$FRONT_BIND/, gunicorn on http://$GUNICORN_BIND/"
run_until_one_stops
