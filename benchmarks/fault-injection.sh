#!/usr/bin/env bash
# Fault injection against a merlai serve of its own (free ports, its own data dir), measured against issue 24's bars:
#   (a) kill -9 of each child (complete, recommend-plugin, render-midi, train-trigger, redis, s3proxy) in turn while 30
#       uploads flow: uploads done within 60 s of the restart, dead letters, jobs billed more than once;
#   (b) 20 requests/s for 60 s (wrk): accepted jobs that end done / failed / stuck, jobs billed more than once;
#   (c) an upload named with emoji and CJK: done or not;
#   (d) a 300 MB upload: its answer, and complete's RSS growth (bar: under 50 MB);
#   (e) forged (unsigned) events to every function and the router: side effects (objects written, usage records);
#   (f) Redis stopped (SIGSTOP): a tenant with a spent quota refused or not, readiness degraded or not;
#   (g) keys with .., //, %2e%2e: another tenant's object read or not.
# Prints one line per check and the counts as JSON (last line). Exit code 0 when it ran, whatever the counts say.
# Usage: benchmarks/fault-injection.sh [--smoke]   (--smoke: a few uploads, one kill, 3 s of load, no 300 MB upload;
#                                                   a quick check that the script and its measurements work)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-full}"
cd "$root"
command -v wrk >/dev/null || scripts/install-packages
[ -f cli/target/merlai-cli.jar ] && [ -f functions/complete/target/quarkus-app/quarkus-run.jar ] || scripts/build
data="$(mktemp -d "${TMPDIR:-/tmp}/merlai-faults.XXXXXX")"
# Free ports everywhere (0), so a merlai serve already running on the defaults is not disturbed; a free plan of 100 bars a
# month, so that check (f) spends a quota in a few requests (the other tenants are on pro).
MERLAI_PLANS_FREE_QUOTA_BARS=100 bin/merlai serve --data "$data" --s3-port 0 --redis-port 0 --http-port 0 --render-port 0 --recommend-port 0 --train-port 0 \
  --router-port 0 --poll-ms 250 > "$data/serve.log" 2>&1 &
serve=$!
trap 'kill -CONT $(cat "$data/stopped.pid" 2>/dev/null) 2>/dev/null || true; kill -TERM $serve 2>/dev/null; wait $serve 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do
  grep -q '^Merlai is running' "$data/serve.log" && break
  kill -0 $serve 2>/dev/null || { cat "$data/serve.log"; echo "merlai serve stopped" >&2; exit 1; }
  sleep 1
done
grep -q '^Merlai is running' "$data/serve.log" || { echo "merlai serve did not start" >&2; exit 1; }
FAULTS_MODE="$mode" FAULTS_DATA="$data" FAULTS_SERVE_PID="$serve" FAULTS_ROOT="$root" python3 "$root/benchmarks/fault-injection.py"
