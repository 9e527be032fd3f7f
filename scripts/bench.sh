#!/usr/bin/env bash
# `make bench`: scripts/bench.py against gunicorn with `make serve`'s settings, on its own
# PostgreSQL database, Redis db and static folder. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
# wrk drives the load; Varnish is the front cache measured, nginx the static-file ceiling.
for tool in wrk:wrk varnishd:varnish nginx:nginx; do
  command -v "${tool%%:*}" >/dev/null || [ -x "/usr/sbin/${tool%%:*}" ] && continue
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing ${tool##*:}"
    apt-get install -y -qq "${tool##*:}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${tool##*:}" >/dev/null; }
  else
    echo "make bench needs ${tool##*:} (Debian package: sudo apt-get install ${tool##*:})"; exit 1
  fi
done
export PATH="$PATH:/usr/sbin"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nervepain_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/11}"
export DJANGO_STATIC_ROOT="${TMPDIR:-/tmp}/nervepain-bench-static"
export DJANGO_QUERY_COUNT_HEADER=1
export COMMENTS_MIN_SECONDS=0 COMMENTS_RATE_LIMIT=1000000
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export GUNICORN_MAX_REQUESTS=0  # no worker recycling: CPU is read from the workers (the
# recycling policies are compared on servers of their own)
. scripts/serve-env.sh
exec .venv/bin/python scripts/bench.py "$@"
