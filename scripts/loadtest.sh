#!/usr/bin/env bash
# `make loadtest`: gunicorn with `make serve`'s settings on its own database and port, a bounded
# mixed load from scripts/loadtest.py, then the database check. LOADTEST_SECONDS (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/nervepain_loadtest
export REDIS_URL=redis://127.0.0.1:6379/12
export GUNICORN_BIND=127.0.0.1:8400
export DJANGO_TRUSTED_PROXIES=1  # the load sends X-Forwarded-For, as a proxy would
export DJANGO_SITE_URL=http://$GUNICORN_BIND
. scripts/serve-env.sh
export LOADTEST_PASSWORD
LOADTEST_PASSWORD=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(16))')

.venv/bin/python - <<'PY'
import psycopg2
admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
admin.autocommit = True
with admin.cursor() as cursor:
    cursor.execute('DROP DATABASE IF EXISTS "nervepain_loadtest" WITH (FORCE)')
    cursor.execute('CREATE DATABASE "nervepain_loadtest"')
PY
redis-cli -n 12 flushdb >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_seed
.venv/bin/python manage.py shell -c "
from django.contrib.auth.models import Group, User
user = User.objects.create_user('loadtest-moderator', 'mod@example.org', '$LOADTEST_PASSWORD', is_staff=True)
user.groups.add(Group.objects.get(name='Moderators'))"

.venv/bin/gunicorn nervepain.wsgi -c nervepain/gunicorn_conf.py --access-logfile /dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "http://$GUNICORN_BIND/" && break; sleep 0.2; done
.venv/bin/python scripts/loadtest.py --base "http://$GUNICORN_BIND" --seconds "${LOADTEST_SECONDS:-60}" "$@"
