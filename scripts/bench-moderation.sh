#!/usr/bin/env bash
# `make bench-moderation` (and the end of `make bench`): scripts/bench_moderation.py with
# `make serve`'s settings, on its own PostgreSQL database and Redis db. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_MODERATION_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nervepain_bench_moderation}"
export REDIS_URL="${BENCH_MODERATION_REDIS_URL:-redis://127.0.0.1:6379/12}"
export DJANGO_STATIC_ROOT="${TMPDIR:-/tmp}/nervepain-bench-moderation-static"
. scripts/serve-env.sh
exec .venv/bin/python scripts/bench_moderation.py "$@"
