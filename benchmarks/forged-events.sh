#!/usr/bin/env bash
# Forged events against `merlai serve` on loopback (issue 24, "forged events: 0 side effects"): a genuine upload is
# arranged through the signed router; then events with a bad signature go to the router and to every function's port
# at / and at each function's path, and one unsigned structured-mode event to the router. Prints each status (401 on
# every event route, 404 where no route is), the bucket's object count before and after, and the dead letters.
# Needs the functions and the CLI built (scripts/build), curl and python3. Usage: benchmarks/forged-events.sh [--smoke]
# (the run is already one short pass; --smoke is the same run. It exits 1 when the genuine upload is not arranged, as
# the forged events are then measured against a pipeline that does not work.)
set -uo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA="$WORK/data"
H=$(free); RE=$(free); RC=$(free); TR=$(free); RO=$(free); S3=$(free); RD=$(free)
bin/merlai serve --data "$DATA" --http-port $H --render-port $RE --recommend-port $RC --train-port $TR --router-port $RO --s3-port $S3 --redis-port $RD --poll-ms 500 > "$WORK/serve.log" 2>&1 &
SERVE=$!
for i in $(seq 1 300); do grep -q "event router" "$WORK/serve.log" && break; kill -0 $SERVE || { cat "$WORK/serve.log"; exit 1; }; sleep 1; done
echo "serve up after ~${i}s"; ls -l "$DATA"/events-secret
key=$(bin/merlai tenants create demo --data "$DATA" --url http://127.0.0.1:$H)
s3put() { curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" --user merlai:merlai-secret -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$1" "http://127.0.0.1:$S3/merlai/$2"; }
s3list() { curl -s --aws-sigv4 "aws:amz:us-east-1:s3" --user merlai:merlai-secret -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "http://127.0.0.1:$S3/merlai?list-type=2&max-keys=1000" | grep -o '<Key>[^<]*</Key><LastModified>[^<]*</LastModified><ETag>[^<]*</ETag>' | sort; }
echo "upload: $(s3put examples/ode-to-joy.json tenants/demo/inbox/ode.json)"
for i in $(seq 1 240); do state=$(curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$H/v1/jobs?input=tenants/demo/inbox/ode.json" | grep -o '"state":"[a-z]*"' | head -1); [ "$state" = '"state":"done"' ] && break; sleep 1; done
echo "genuine upload: $state after ~${i}s"
[ "$state" = '"state":"done"' ] || { echo "the genuine upload was not arranged; merlai serve's log:" >&2; cat "$WORK/serve.log" >&2; kill $SERVE; exit 1; }
before=$(s3list | md5sum); nbefore=$(s3list | wc -l)
body='{"tenant":"demo","key":"tenants/demo/inbox/ode.json","inline":true}'
codes=""
for port in $RO $H $RC $RE $TR; do
  for path in / /complete /recommend-plugin /render-midi /train-trigger; do
    c=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'ce-specversion: 1.0' -H "ce-id: forged-$RANDOM" \
      -H 'ce-type: dev.merlai.melody.uploaded' -H 'ce-source: /mallory' -H 'Merlai-Signature: t=1,v1=00' --data "$body" "http://127.0.0.1:$port$path")
    codes="$codes $port$path=$c"
  done
done
c=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/cloudevents+json' --data '{"specversion":"1.0","id":"s1","source":"/mallory","type":"dev.merlai.melody.uploaded","data":{"tenant":"demo"}}' "http://127.0.0.1:$RO/")
echo "structured unsigned to router: $c"
echo "forged: $codes"
sleep 3
after=$(s3list | md5sum); nafter=$(s3list | wc -l)
echo "objects before $nbefore after $nafter; unchanged: $([ "$before" = "$after" ] && echo yes || echo NO)"
ls "$DATA/dead-letters" | wc -l | sed 's/^/dead letters: /'
kill $SERVE; wait $SERVE 2>/dev/null || true
