#!/usr/bin/env bash
# `make bench`: scripts/bench.py against gunicorn with `make serve`'s settings, on its own
# PostgreSQL database, Redis db and static folder. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing wrk"
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "make bench needs wrk (Debian package wrk: sudo apt-get install wrk)"; exit 1
  fi
fi
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/nervepain_bench
export REDIS_URL=redis://127.0.0.1:6379/11
export DJANGO_STATIC_ROOT="${TMPDIR:-/tmp}/nervepain-bench-static"
export DJANGO_QUERY_COUNT_HEADER=1
export COMMENTS_MIN_SECONDS=0 COMMENTS_RATE_LIMIT=1000000
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export GUNICORN_MAX_REQUESTS=0  # no worker recycling: CPU is read from the workers
. scripts/serve-env.sh
exec .venv/bin/python scripts/bench.py "$@"
