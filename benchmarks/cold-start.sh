#!/usr/bin/env bash
# JVM cold start of each function, as a scaled-from-zero Knative pod sees it, minus the image pull and the pod
# scheduling: from `java -jar` to
#   ready  - /q/health/ready answers 200 (complete: models loaded), and
#   first  - the first event has been answered (first inference, storage writes and all).
# Each function starts N times (default 5) on a free loopback port on each JVM, in the same run and interleaved (so a
# change of the machine's load hits every JVM alike):
#   java17       the java on PATH (Java 17), with the images' old flags
#   java25       Java 25 (scripts/java25)
#   java25-aot   Java 25 with the function's AOT cache (target/quarkus-app/app.aot, JEP 483/514/515), as the images run
#   baseline     java25-aot on another build of the function: the quarkus-app folder BASELINE_APP (a copy of an earlier
#                target/quarkus-app without its app.aot), to compare a change against it in the same run; its own
#                AOT cache is trained there (a cache trained in target/ points at the jars there, which a rebuild replaces)
# Every start loads ONNX Runtime's native libraries from quarkus-app/onnxruntime/ (-Donnxruntime.native.path) when the
# build unpacked them there, as the images do.
# The AOT cache is trained here when it is missing or older than the function's jar: one start with
# -XX:AOTCacheOutput that becomes ready and answers the same event, then stops (scripts/aot-cache does only this).
# The script prints the median and the spread (min-max) in milliseconds, the CPU time (user+sys) the JVM had used at
# ready and at the first answer (less sensitive to a shared machine's load than the wall time), the machine and its
# load average.
#
#   benchmarks/cold-start.sh            # build, then measure complete, recommend-plugin and render-midi, N=5
#   N=10 benchmarks/cold-start.sh complete
#   SKIP_BUILD=1 JVMS="java25 java25-aot" benchmarks/cold-start.sh complete
#   SKIP_BUILD=1 JVMS="baseline java25-aot" BASELINE_APP=/tmp/before/quarkus-app benchmarks/cold-start.sh complete
#   benchmarks/cold-start.sh --smoke    # complete started once on each JVM, no build (after ./mvnw install): checks that it runs
#   benchmarks/cold-start.sh --train-aot complete render-midi   # only train the AOT caches (scripts/aot-cache)
#
# Requests are what the Broker delivers: a binary-mode CloudEvent POSTed to "/", its type read from
# events/src/main/java/dev/merlai/events/EventTypes.java.
#   complete          dev.merlai.melody.uploaded        {"tenant": "demo", "score": examples/ode-to-joy.json, "seed": <new each run>}
#   recommend-plugin  dev.merlai.arrangement.completed  {"tenant": "demo", "job": <the job of complete's last run>}
#   render-midi       dev.merlai.plugins.recommended    {"tenant": "demo", "job": <the job of complete's last run>}
# so recommend-plugin and render-midi are measured after complete, on the arrangement complete stored.
# The functions need S3 and Redis, which in a cluster are always up: unless MERLAI_S3_ENDPOINT and
# QUARKUS_REDIS_HOSTS are already set, the script starts S3Proxy (the jar scripts/build fetches, or
# MERLAI_S3PROXY_JAR) and redis-server on loopback ports once, before the runs, and stops them at the end.
# The tenant demo is created once, through the account function's admin API (MERLAI_ADMIN_TOKEN, this run's own), before
# the first measured start.
# Needs java 17, Java 25 (scripts/java25), curl and python3. Bars (issue 23): complete <= 1.0 s to ready and <= 1.5 s
# to the first answered event, median on 2 cores.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE=measure
case "${1:-}" in
  --smoke) MODE=smoke; shift; N=1 SKIP_BUILD=1 TIMEOUT_S="${TIMEOUT_S:-300}"; [ $# -gt 0 ] || set -- complete ;;
  --train-aot) MODE=train; shift ;;
esac
# The JVM flags of the images (src/main/docker/Dockerfile.jvm).
JAVA_OPTS="${JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
N="${N:-5}"
read -r -a JVMS <<< "${JVMS:-java17 java25 java25-aot}"
[ "$MODE" = train ] && JVMS=()
FUNCTIONS=("$@")
[ ${#FUNCTIONS[@]} -gt 0 ] || FUNCTIONS=(complete recommend-plugin render-midi)
JAVA17="${JAVA17:-java}"
JAVA25="$("$ROOT/scripts/java25")"
EXAMPLE="$ROOT/examples/ode-to-joy.json"
TIMEOUT_S="${TIMEOUT_S:-60}"
TENANT=demo

if [ -z "${SKIP_BUILD:-}" ]; then
  modules=$(printf 'functions/%s,' "${FUNCTIONS[@]}" account)
  (cd "$ROOT" && ./mvnw -B -q -pl "${modules%,}" -am package -DskipTests)
fi

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
event_type() { sed -n "s/.* $1 = \"\(.*\)\";/\1/p" "$ROOT/events/src/main/java/dev/merlai/events/EventTypes.java"; }

# stats "ms ms ..." -> "median M ms, spread MIN-MAX ms"
stats() {
  python3 -c 'import statistics, sys; v = sorted(int(x) for x in sys.argv[1:]); print(f"median {statistics.median(v):.0f} ms, spread {v[0]}-{v[-1]} ms")' "$@"
}

PID="" SERVICE_PIDS=() WORK=$(mktemp -d) JOB=""
cleanup() {
  for pid in $PID "${SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# await_ready PORT PID LOG NAME: polls PORT's /q/health/ready until it answers 200; gives up (printing LOG) when process
# PID has exited or TIMEOUT_S has passed since the call
await_ready() {
  local port="$1" pid="$2" log="$3" name="$4" deadline
  deadline=$(($(now_ms) + TIMEOUT_S * 1000))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready")" = 200 ]; do
    if [ "$(now_ms)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "$name did not become ready; its log:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.01
  done
}

CLOCK_TICKS=$(getconf CLK_TCK)
# cpu_ms PID: the CPU time (user+sys, all threads) process PID has used so far
cpu_ms() {
  local stat
  read -r -a stat < "/proc/$1/stat"
  echo $(( (stat[13] + stat[14]) * 1000 / CLOCK_TICKS ))
}

wait_for_port() {
  local port="$1"
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing answers on port $port" >&2; exit 1
}

if [ -z "${MERLAI_S3_ENDPOINT:-}" ]; then
  jar="${MERLAI_S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar}"
  [ -f "$jar" ] || { echo "S3Proxy is missing ($jar): run scripts/build, or set MERLAI_S3_ENDPOINT" >&2; exit 1; }
  port=$(free_port)
  export MERLAI_S3_ACCESS_KEY=bench MERLAI_S3_SECRET_KEY=bench-secret MERLAI_S3_BUCKET="${MERLAI_S3_BUCKET:-merlai}"
  export MERLAI_S3_ENDPOINT="http://127.0.0.1:$port"
  mkdir -p "$WORK/s3/$MERLAI_S3_BUCKET"   # with S3Proxy's filesystem provider a bucket is a folder
  printf '%s\n' "s3proxy.endpoint=$MERLAI_S3_ENDPOINT" s3proxy.authorization=aws-v2-or-v4 \
    "s3proxy.identity=$MERLAI_S3_ACCESS_KEY" "s3proxy.credential=$MERLAI_S3_SECRET_KEY" \
    jclouds.provider=filesystem "jclouds.filesystem.basedir=$WORK/s3" > "$WORK/s3proxy.conf"
  printf '%s\n' '<configuration><root level="WARN"/></configuration>' > "$WORK/logback.xml"
  java -Xmx256m "-Dlogback.configurationFile=$WORK/logback.xml" -jar "$jar" --properties "$WORK/s3proxy.conf" > "$WORK/s3proxy.log" 2>&1 &
  SERVICE_PIDS+=($!)
  wait_for_port "$port"
fi
if [ -z "${QUARKUS_REDIS_HOSTS:-}" ]; then
  command -v redis-server > /dev/null || { echo "redis-server is missing: install it, or set QUARKUS_REDIS_HOSTS" >&2; exit 1; }
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
  SERVICE_PIDS+=($!)
  export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$port"
  wait_for_port "$port"
fi

export MERLAI_ADMIN_TOKEN="bench-admin-$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')"
# create_tenant: the tenant the events name (functions refuse events of unknown tenants), made once through the account
# function's admin API before the first measured start, so the measured times do not include it
create_tenant() {
  local port code
  port=$(free_port)
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" $JAVA17 -jar "$ROOT/functions/account/target/quarkus-app/quarkus-run.jar" \
    > "$WORK/account.log" 2>&1 &
  PID=$!
  await_ready "$port" "$PID" "$WORK/account.log" "the account function"
  code=$(curl -s -o "$WORK/tenant" -w '%{http_code}' -H "Authorization: Bearer $MERLAI_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    --data "{\"tenant\": \"$TENANT\", \"plan\": \"pro\"}" "http://127.0.0.1:$port/admin/tenants")
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  [ "$code" = 201 ] || { echo "the tenant $TENANT could not be created ($code): $(cat "$WORK/tenant")" >&2; exit 1; }
}

# event FUNCTION -> writes the CloudEvent type to $WORK/type and the data to $WORK/data
event() {
  case "$1" in
    complete)
      event_type MELODY_UPLOADED > "$WORK/type"
      # a seed of its own each run: a new song for the function, not an answer from the completion cache (Redis), which
      # keeps what the runs before asked for
      python3 -c 'import json, sys; print(json.dumps({"tenant": sys.argv[2], "score": json.load(open(sys.argv[1])), "seed": int(sys.argv[3])}))' \
        "$EXAMPLE" "$TENANT" "$(date +%s%N)" > "$WORK/data" ;;
    recommend-plugin|render-midi)
      [ -n "$JOB" ] || { echo "$1 works on the job of a complete run: measure complete first (benchmarks/cold-start.sh complete $1)" >&2; exit 2; }
      if [ "$1" = recommend-plugin ]; then event_type ARRANGEMENT_COMPLETED; else event_type PLUGINS_RECOMMENDED; fi > "$WORK/type"
      printf '{"tenant": "%s", "job": "%s"}\n' "$TENANT" "$JOB" > "$WORK/data" ;;
    *) echo "no event known for function $1" >&2; exit 2 ;;
  esac
}

# The functions take only signed events (events/.../EventSignature.java): this run's secret, and the signature of
# event ID of type TYPE (source /merlai/benchmarks/cold-start, no subject) over $WORK/data.
export MERLAI_EVENTS_SECRET="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
sign() {
  python3 - "$1" "$2" "$WORK/data" <<'PY'
import hashlib, hmac, os, sys, time
t = int(time.time())
signed = f"{t}\n{sys.argv[1]}\n/merlai/benchmarks/cold-start\n{sys.argv[2]}\n\n".encode() + open(sys.argv[3], "rb").read()
print(f"t={t},v1=" + hmac.new(os.environ["MERLAI_EVENTS_SECRET"].encode(), signed, hashlib.sha256).hexdigest())
PY
}

# app JVM FUNCTION: the function's quarkus-app folder that JVM starts
app() {
  if [ "$1" = baseline ] || [ "$1" = train-baseline ]; then echo "${BASELINE_APP:?JVMS names baseline: set BASELINE_APP to a copy of a quarkus-app folder}"
  else echo "$ROOT/functions/$2/target/quarkus-app"; fi
}
aot_cache() { echo "$(app "${2:-}" "$1")/app.aot"; }

# jvm_command JVM FUNCTION: the java command line (less -jar) of that JVM
jvm_command() {
  case "$1" in
    java17) echo "$JAVA17 $JAVA_OPTS" ;;
    java25) echo "$JAVA25 $JAVA_OPTS" ;;
    java25-aot|baseline) echo "$JAVA25 $JAVA_OPTS -XX:AOTMode=on -XX:AOTCache=$(aot_cache "$2" "$1")" ;;   # on: fail if the cache cannot be used
    train|train-baseline) echo "$JAVA25 $JAVA_OPTS -XX:AOTCacheOutput=$(aot_cache "$2" "${1#train-}")" ;;
    *) echo "unknown JVM $1 (java17, java25, java25-aot, baseline)" >&2; exit 2 ;;
  esac
  local native
  native="$(app "$1" "$2")/onnxruntime"
  if [ -d "$native" ]; then echo "-Donnxruntime.native.path=$native"; fi
}

# one_run JVM FUNCTION: sets READY_MS and FIRST_MS (milliseconds after the java start), READY_CPU_MS and FIRST_CPU_MS
# (the JVM's CPU time then); after complete, JOB
one_run() {
  local jvm="$1" function="$2" port start ready first log code id signature
  port=$(free_port)
  log="$WORK/$function-$jvm.log"
  event "$function"
  # signed before the start, so the measured time holds no python start (a signature stays valid for 5 minutes)
  id="cold-start-$(date +%s%N)"
  signature=$(sign "$id" "$(cat "$WORK/type")")
  start=$(now_ms)
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" \
    $(jvm_command "$jvm" "$function") -DOPT_OUT_TRACKING=true -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -jar "$(app "$jvm" "$function")/quarkus-run.jar" > "$log" 2>&1 &
  PID=$!
  await_ready "$port" "$PID" "$log" "$function"
  ready=$(now_ms)
  READY_CPU_MS=$(cpu_ms "$PID")
  code=$(curl -s -D "$WORK/headers" -o "$WORK/response" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'ce-specversion: 1.0' -H "ce-id: $id" -H "ce-type: $(cat "$WORK/type")" \
    -H 'ce-source: /merlai/benchmarks/cold-start' -H "Merlai-Signature: $signature" \
    --data-binary "@$WORK/data" "http://127.0.0.1:$port/")
  first=$(now_ms)
  FIRST_CPU_MS=$(cpu_ms "$PID")
  if [ "$code" != 200 ]; then
    echo "$function answered $code to its first event: $(cat "$WORK/response"); its log:" >&2; cat "$log" >&2; exit 1
  fi
  if [ "$function" = complete ]; then JOB=$(sed -n 's/^ce-subject: *\([^[:space:]]*\).*/\1/ip' "$WORK/headers"); fi
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  READY_MS=$((ready - start)) FIRST_MS=$((first - start))
}

# train_aot FUNCTION [baseline]: the AOT cache (BASELINE_APP's with baseline) from one start that becomes ready and answers
# the event (JEP 514: the JVM writes the cache when it exits), unless the cache is newer than its jar
train_aot() {
  local cache trainer="train${2:+-$2}"
  cache=$(aot_cache "$1" "${2:-}")
  [ "$cache" -nt "$(app "${2:-}" "$1")/quarkus-run.jar" ] && return 0
  rm -f "$cache"
  # recommend-plugin and render-midi work on a job of complete's
  if [ "$1" != complete ] && [ -z "$JOB" ]; then one_run java25 complete; fi
  one_run "$trainer" "$1"
  [ -s "$cache" ] || { echo "$1: no AOT cache was written ($cache); its log:" >&2; cat "$WORK/$1-$trainer.log" >&2; exit 1; }
  echo "$1${2:+ ($2)}: AOT cache trained in $((FIRST_MS / 1000)) s (one start, ready and one event): $cache ($(du -h "$cache" | cut -f1))"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "java17: $($JAVA17 -version 2>&1 | head -1); java25: $($JAVA25 -version 2>&1 | head -1) ($JAVA25)"
echo "S3: $MERLAI_S3_ENDPOINT, Redis: $QUARKUS_REDIS_HOSTS (started before, not part of the measured start)"
create_tenant
if [[ " ${JVMS[*]} " == *" java25-aot "* ]] || [ "$MODE" = train ]; then
  for function in "${FUNCTIONS[@]}"; do train_aot "$function"; done
fi
if [[ " ${JVMS[*]} " == *" baseline "* ]]; then
  for function in "${FUNCTIONS[@]}"; do train_aot "$function" baseline; done
fi
[ "$MODE" = train ] && exit 0
echo "runs per function and JVM: $N; JAVA_OPTS: ${JAVA_OPTS:-(JVM defaults)}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for function in "${FUNCTIONS[@]}"; do
  declare -A readies=() firsts=() ready_cpus=() first_cpus=()
  for _ in $(seq "$N"); do
    for jvm in "${JVMS[@]}"; do
      one_run "$jvm" "$function"
      readies[$jvm]+=" $READY_MS"; firsts[$jvm]+=" $FIRST_MS"; ready_cpus[$jvm]+=" $READY_CPU_MS"; first_cpus[$jvm]+=" $FIRST_CPU_MS"
    done
  done
  for jvm in "${JVMS[@]}"; do
    echo "$function $jvm: start->ready: $(stats ${readies[$jvm]})  (runs:${readies[$jvm]})"
    echo "$function $jvm: start->first response: $(stats ${firsts[$jvm]})  (runs:${firsts[$jvm]})"
    echo "$function $jvm: CPU time at ready: $(stats ${ready_cpus[$jvm]}), at the first response: $(stats ${first_cpus[$jvm]})"
    echo "$function $jvm: its last start logged: $(grep -o 'started in [0-9.]*s\|loaded on [a-z]* in [0-9]* ms\|arranged (new) in [0-9]* ms' "$WORK/$function-$jvm.log" | paste -sd ';' -)"
  done
  unset readies firsts ready_cpus first_cpus
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
