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
. benchmarks/lib/serve.bash
# A free plan of 100 bars a month, so that check (f) spends a quota in a few requests (the other tenants are on pro).
MERLAI_PLANS_FREE_QUOTA_BARS=100 serve_start "$(mktemp -d "${TMPDIR:-/tmp}/merlai-faults.XXXXXX")" --poll-ms 250
data=$serve_data
# check (f) stops Redis with SIGSTOP: it goes on again before merlai serve stops
trap 'kill -CONT $(cat "$data/stopped.pid" 2>/dev/null) 2>/dev/null || true; serve_stop' EXIT
FAULTS_MODE="$mode" FAULTS_DATA="$data" FAULTS_SERVE_PID="$serve" FAULTS_ROOT="$root" python3 "$root/benchmarks/fault-injection.py"
