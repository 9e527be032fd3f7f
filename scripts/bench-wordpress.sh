#!/usr/bin/env bash
# `make bench-wordpress`: posting a comment here and on WordPress (Debian's package, PHP-FPM with
# opcache, nginx, MariaDB), side by side in alternating rounds: scripts/bench_wordpress.py.
# Everything runs as child processes from a temporary folder: nothing in /etc, no service.
set -euo pipefail
cd "$(dirname "$0")/.."
# php (the metapackage) with php-fpm, or apt would satisfy WordPress's PHP with Apache's module.
missing=()
for package in wordpress wordpress-theme-twentytwentyone php-fpm php-mysql php nginx; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench-wordpress: installing ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "make bench-wordpress needs ${missing[*]} (Debian: sudo apt-get install --no-install-recommends ${missing[*]})"
    exit 1
  fi
fi
command -v mysql >/dev/null || { echo "make bench-wordpress needs the mysql client (Debian: mariadb-client)"; exit 1; }
export PATH="$PATH:/usr/sbin"
# This site as `make bench` runs it (scripts/bench.sh), on databases of its own.
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nervepain_bench_wp}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/10}"
export DJANGO_STATIC_ROOT="${TMPDIR:-/tmp}/nervepain-bench-wp-static"
export COMMENTS_MIN_SECONDS=0 COMMENTS_RATE_LIMIT=1000000
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export GUNICORN_MAX_REQUESTS=0
. scripts/serve-env.sh
exec .venv/bin/python scripts/bench_wordpress.py "$@"
