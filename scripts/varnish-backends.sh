#!/usr/bin/env bash
# Print a backends.vcl for deploy/varnish/default.vcl: one backend per web node given as
# HOST:PORT, all in the round-robin director, and the purgers ACL (the web nodes' hosts, plus
# any PURGER=ADDRESS given). Example: scripts/varnish-backends.sh 10.0.0.11:8000 10.0.0.12:8000
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 HOST:PORT... [PURGER=ADDRESS...]" >&2; exit 2; }
nodes=() purgers=()
for arg in "$@"; do
  case "$arg" in
    PURGER=*) purgers+=("${arg#PURGER=}") ;;
    *) nodes+=("$arg"); purgers+=("${arg%:*}") ;;
  esac
done
echo "# Written by scripts/varnish-backends.sh $*"
n=0
for node in "${nodes[@]}"; do
  n=$((n + 1))
  cat <<VCL
backend web$n {
    .host = "${node%:*}";
    .port = "${node##*:}";
    .connect_timeout = 1s;
    .first_byte_timeout = 35s;
    .probe = { .url = "/-/health"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 2; }
}
VCL
done
echo "sub vcl_init {"
for i in $(seq "$n"); do echo "    web.add_backend(web$i);"; done
echo "}"
echo "acl purgers {"
printf '%s\n' "${purgers[@]}" | sort -u | while read -r address; do echo "    \"$address\";"; done
echo "}"
