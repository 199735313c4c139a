#!/usr/bin/env bash
# Load on loopback: runs merlai serve (S3Proxy, Redis, the functions), creates a tenant on a plan (pro unless told), and drives
# POST /v1/completions (the example melody, inline; each request a new job) at a steady rate with wrk for a while.
# Prints the requests, the answers by status (there must be no 5xx), and the metering check: the usage records in S3,
# the bars counted in Redis and the bars in the successful answers must all match the successful jobs.
# Usage: benchmarks/load.sh [RATE per second, default 20] [SECONDS, default 60] [CONNECTIONS, default 8] [PLAN, default pro]
#        benchmarks/load.sh --smoke   (2 requests/s for 10 s over 2 connections: checks that the benchmark and its metering check run)
# (plan free allows 2 requests/s in bursts of 10: above that the answers are 429s, and still no 5xx)
# Repeated answers come from the completion cache (same melody, same seed): this measures the API, the key check, the
# rate limiter, S3 writes and metering, not the models (benchmarks/arranger.sh does those).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = --smoke ]; then set -- 2 10 2; fi
rate="${1:-20}"; seconds="${2:-60}"; connections="${3:-8}"; plan="${4:-pro}"; threads=2
cd "$root"
command -v wrk >/dev/null || scripts/install-packages
[ -f cli/target/merlai-cli.jar ] && [ -f functions/complete/target/quarkus-app/quarkus-run.jar ] || scripts/build
. benchmarks/lib/serve.bash
serve_start "$(mktemp -d "${TMPDIR:-/tmp}/merlai-load.XXXXXX")"
data=$serve_data
admin="Authorization: Bearer $(cat "$data/admin-token")"
key=$(tenant_key load "$plan")

echo "machine (before): $(machine_line)"
echo "wrk: $rate requests/s for $seconds s over $connections connections ($threads threads), POST $api/v1/completions, plan $plan"
LOAD_SONG="$root/examples/ode-to-joy.json" LOAD_API_KEY="$key" LOAD_RATE="$rate" LOAD_THREADS="$threads" \
  wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 30s -s "$root/benchmarks/load.lua" "$api/v1/completions" | tee "$data/wrk.out"

ok=$(sed -n 's/^status 200: //p' "$data/wrk.out"); ok=${ok:-0}
server_errors=$(awk '/^status 5[0-9][0-9]:/ {n += $3} END {print n + 0}' "$data/wrk.out")
answered_bars=$(sed -n 's/^answered-bars //p' "$data/wrk.out")
sleep 1 # answers in flight when wrk stopped
counted_bars=$(curl -sf -H "Authorization: Bearer $key" "$api/v1/usage" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["bars"])')
records=$(curl -sf -X POST -H "$admin" "$api/admin/usage/reconcile")
record_count=$(echo "$records" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
differences=$(echo "$records" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["differences"])')
# Jobs the server completed: wrk stops with requests in flight, which the server still completes (and bills).
jobs_ok=$(curl -sf -H "Authorization: Bearer $key" "$api/v1/jobs" \
  | /usr/bin/python3 -c 'import json,sys; print(sum(1 for j in json.load(sys.stdin)["jobs"] if j["state"] in ("rendering", "done")))')
bars_per_job=$(( ok > 0 ? answered_bars / ok : 0 ))
echo "answers: 200 $ok, 5xx $server_errors; jobs completed by the server $jobs_ok ($(( jobs_ok - ok )) still in flight when wrk stopped)"
echo "metering: usage records in S3 $record_count; bars counted in Redis $counted_bars = $(( bars_per_job > 0 ? counted_bars / bars_per_job : 0 )) jobs of $bars_per_job bars; reconcile: $records"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$server_errors" -eq 0 ] && [ "$record_count" -eq "$jobs_ok" ] && [ "$counted_bars" -eq $(( jobs_ok * bars_per_job )) ] && [ "$differences" -eq 0 ]; then
  echo "OK: no 5xx; metered jobs = completed jobs = $jobs_ok"
else
  echo "MISMATCH or 5xx: see above" >&2; exit 1
fi
