#!/usr/bin/env bash
# JVM cold start of each function, as a scaled-from-zero Knative pod sees it, minus the image pull and the pod
# scheduling: from `java -jar` to
#   ready  - /q/health/ready answers 200 (complete: models loaded), and
#   first  - the first request has completed (first inference included).
# Each function runs N times (default 5) on a free loopback port; the script prints the median and the spread
# (min-max) in milliseconds, and the machine.
#
#   benchmarks/cold-start.sh            # build, then measure complete and render-midi, N=5
#   N=10 benchmarks/cold-start.sh complete
#   SKIP_BUILD=1 benchmarks/cold-start.sh
#   JAVA_OPTS= SKIP_BUILD=1 benchmarks/cold-start.sh      # the JVM's default flags instead of the images'
#
# The functions see this script's environment: where a function needs S3 or Redis at start, export
# MERLAI_S3_ENDPOINT, QUARKUS_REDIS_HOSTS and the rest first (docs/deployment.md lists them).
#
# Requests: complete gets POST /complete {"inline": true, "score": examples/ode-to-joy.json} (inline: the
# arrangement comes back in the response);
# render-midi gets POST /render-midi {"arrangement": examples/ode-to-joy.json} (any score renders).
# Needs java 17, curl and python3 (for a free port). Goal: first completion <= 3 s on 2 cores.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The JVM flags of the images (src/main/docker/Dockerfile.jvm); JAVA_OPTS= (empty) measures the JVM's defaults.
JAVA_OPTS="${JAVA_OPTS--XX:TieredStopAtLevel=1}"
N="${N:-5}"
FUNCTIONS=("$@")
[ ${#FUNCTIONS[@]} -gt 0 ] || FUNCTIONS=(complete render-midi)
EXAMPLE="$ROOT/examples/ode-to-joy.json"
TIMEOUT_S="${TIMEOUT_S:-60}"

if [ -z "${SKIP_BUILD:-}" ]; then
  modules=$(printf 'functions/%s,' "${FUNCTIONS[@]}")
  (cd "$ROOT" && ./mvnw -B -q -pl "${modules%,}" -am package -DskipTests)
fi

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

request_body() {
  case "$1" in
    complete) python3 -c 'import json, sys; print(json.dumps({"inline": True, "score": json.load(open(sys.argv[1]))}))' "$EXAMPLE" ;;
    render-midi) python3 -c 'import json, sys; print(json.dumps({"arrangement": json.load(open(sys.argv[1]))}))' "$EXAMPLE" ;;
    *) echo "no request known for function $1" >&2; exit 2 ;;
  esac
}

# stats "ms ms ..." -> "median M ms, spread MIN-MAX ms"
stats() {
  python3 -c 'import statistics, sys; v = sorted(int(x) for x in sys.argv[1:]); print(f"median {statistics.median(v):.0f} ms, spread {v[0]}-{v[-1]} ms")' "$@"
}

PID=""
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

# one_run FUNCTION BODYFILE: sets READY_MS and FIRST_MS (milliseconds after the java start)
one_run() {
  local function="$1" body="$2" port start ready first deadline log code
  port=$(free_port)
  log=$(mktemp)
  start=$(now_ms)
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" \
    java $JAVA_OPTS -DOPT_OUT_TRACKING=true -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -jar "$ROOT/functions/$function/target/quarkus-app/quarkus-run.jar" > "$log" 2>&1 &
  PID=$!
  deadline=$((start + TIMEOUT_S * 1000))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready")" = 200 ]; do
    if [ "$(now_ms)" -gt "$deadline" ] || ! kill -0 "$PID" 2>/dev/null; then
      echo "$function did not become ready; its log:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.01
  done
  ready=$(now_ms)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$body" "http://127.0.0.1:$port/$function")
  first=$(now_ms)
  if [ "$code" != 200 ]; then echo "$function answered $code to its first request; its log:" >&2; cat "$log" >&2; exit 1; fi
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  rm -f "$log"
  READY_MS=$((ready - start)) FIRST_MS=$((first - start))
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)"
echo "runs per function: $N; JAVA_OPTS: ${JAVA_OPTS:-(JVM defaults)}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for function in "${FUNCTIONS[@]}"; do
  body=$(mktemp)
  request_body "$function" > "$body"
  readies=() firsts=()
  for _ in $(seq "$N"); do
    one_run "$function" "$body"
    readies+=("$READY_MS"); firsts+=("$FIRST_MS")
  done
  rm -f "$body"
  echo "$function: start->ready: $(stats "${readies[@]}")  (runs: ${readies[*]})"
  echo "$function: start->first response: $(stats "${firsts[@]}")  (runs: ${firsts[*]})"
done
