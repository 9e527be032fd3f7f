#!/usr/bin/env bash
# Print a backends.vcl for deploy/varnish/default.vcl: one backend per web node given as
# HOST:PORT, all in the round-robin director "web" (and again, unprobed, in "web_anyway"), and
# the purgers ACL (the web nodes' hosts, plus any PURGER=ADDRESS given).
# Example: scripts/varnish-backends.sh 10.0.0.11:8000 10.0.0.12:8000
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
# The probe (GET /-/health, answered without the database) tells a node that is down from one
# that is busy (docs/deploying.md). Down refuses at once: two refused probes out of three, 2 s
# apart, take it out within ~4 s. Busy answers late: a sync gunicorn worker takes the probe
# after the request it is on, so the probe waits 5 s (at 1 s, a lone worker busy for a second
# twice made the only node sick: 503 "Backend fetch failed" for everyone). Connecting allows
# Varnish's default 3.5 s, past the kernel's 1 s resend of a lost SYN; the first byte 35 s,
# past gunicorn's 30 s worker timeout. Each node is listed again without a probe, in
# "web_anyway", which default.vcl tries when every node is sick.
n=0
for node in "${nodes[@]}"; do
  n=$((n + 1))
  cat <<VCL
backend web$n {
    .host = "${node%:*}";
    .port = "${node##*:}";
    .connect_timeout = 3.5s;
    .first_byte_timeout = 35s;
    .probe = { .url = "/-/health"; .interval = 2s; .timeout = 5s; .window = 3; .threshold = 2; .initial = 2; }
}
backend web${n}_anyway {
    .host = "${node%:*}";
    .port = "${node##*:}";
    .connect_timeout = 3.5s;
    .first_byte_timeout = 35s;
}
VCL
done
echo "sub vcl_init {"
for i in $(seq "$n"); do
  echo "    web.add_backend(web$i);"
  echo "    web_anyway.add_backend(web${i}_anyway);"
done
echo "}"
echo "acl purgers {"
printf '%s\n' "${purgers[@]}" | sort -u | while read -r address; do echo "    \"$address\";"; done
echo "}"
