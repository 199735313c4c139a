#!/usr/bin/env bash
# Batch throughput over HTTP: the first N POP909 validation songs (training/split/pop909-validation.txt, reduced to their
# melody) as one zip POSTed to /v1/batches of a merlai serve of its own, the batch's songs completed side by side with
# their drum and dynamics model calls batched together (merlai.batches.songs-at-once, default 8) against one song after
# another (MERLAI_BATCH_SONGS_AT_ONCE=1, each model call alone), each on a merlai serve started for it, R rounds each
# (every round its own seed, so no song is a cache hit). Every song must come back arranged, and each song's MIDI must be
# byte for byte the same in both. Prints the songs per minute of each, their ratio, the machine and its load.
#
#   benchmarks/batch-api.sh                  # N=50 songs, R=1
#   benchmarks/batch-api.sh --smoke          # 2 songs, one round: checks that the benchmark still runs
#   N=20 R=2 DATA=/path/to/data benchmarks/batch-api.sh
#   AT_ONCE=8 benchmarks/batch-api.sh        # only the songs side by side (or AT_ONCE=1: only one after another)
#
# Needs the shared data (DATA, default ../shared/data, with pop909/<id>/<id>.mid), java 17, curl and python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
songs="${N:-50}" rounds="${R:-1}"
[ "${1:-}" = "--smoke" ] && songs=2 rounds=1
data="${DATA:-$root/../shared/data}"
[ -f cli/target/merlai-cli.jar ] && [ -f functions/complete/target/quarkus-app/quarkus-run.jar ] || scripts/build
. benchmarks/lib/serve.bash

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Xmx1g -cp "cli/target/merlai-cli.jar:cli/target/lib/*" dev.merlai.cli.ValidationMelodies \
  "$data" training/split/pop909-validation.txt "$songs" "$work/melodies"
(cd "$work/melodies" && /usr/bin/python3 -m zipfile -c "$work/melodies.zip" ./*.mid)
n=$(find "$work/melodies" -name '*.mid' | wc -l)
echo "machine (before): $(machine_line)"

# one_batch AT_ONCE ROUND: POSTs the zip (seed ROUND), checks that every song was arranged, appends "AT_ONCE SECONDS" to
# $work/times and writes each song's arrangement.mid into $work/AT_ONCE-ROUND/
one_batch() {
  local at_once="$1" round="$2" seconds
  seconds=$(curl -sf --max-time 1800 -o "$work/batch.json" -w '%{time_total}' -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/zip' --data-binary "@$work/melodies.zip" "$api/v1/batches?seed=$round")
  echo "$at_once $seconds" >> "$work/times"
  mkdir -p "$work/$at_once-$round"
  BATCH="$work/batch.json" API="$api" KEY="$key" OUT="$work/$at_once-$round" /usr/bin/python3 - <<'EOF'
import json, os, sys, urllib.request
batch = json.load(open(os.environ["BATCH"]))
failed = [song for song in batch["songs"] if song["state"] not in ("rendering", "done")]
if failed:
    sys.exit("batch-api.sh: songs not arranged: %s" % failed)
def get(url, auth=True):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + os.environ["KEY"]} if auth else {})
    return urllib.request.urlopen(request).read()
for i, song in enumerate(batch["songs"]):
    job = json.loads(get(os.environ["API"] + "/v1/jobs/" + song["job"]))
    with open(os.path.join(os.environ["OUT"], "%03d.mid" % i), "wb") as out:
        out.write(get(job["links"]["arrangement.mid"], auth=False))
EOF
}

read -r -a modes <<< "${AT_ONCE:-8 1}"
for at_once in "${modes[@]}"; do
  MERLAI_BATCH_SONGS_AT_ONCE=$at_once serve_start "$(mktemp -d "${TMPDIR:-/tmp}/merlai-batch-api.XXXXXX")"
  trap 'serve_stop; rm -rf "$work"' EXIT
  key=$(tenant_key batches pro)
  for round in $(seq "$rounds"); do one_batch "$at_once" "$round"; done
  serve_stop
  trap 'rm -rf "$work"' EXIT
done
for round in $(seq "$rounds"); do
  [ ${#modes[@]} -eq 2 ] || break
  diff -r "$work/8-$round" "$work/1-$round" > /dev/null \
    || { echo "batch-api.sh: a song batched with others differs from its completion one at a time" >&2; exit 1; }
done
echo "machine (after): $(machine_line)"
awk -v n="$n" '
  { wall[$1] += $2; runs[$1]++ }
  END {
    for (k = 8; k >= 1; k -= 7) if (runs[k]) printf "POST /v1/batches, songs-at-once %d%s: %d songs in %.1f s, %.1f songs/min (mean of %d)\n", k,
      k == 8 ? " (drum and dynamics calls batched)" : " (one after another)", n, wall[k] / runs[k], 60 * n * runs[k] / wall[k], runs[k]
    if (runs[1] && runs[8]) printf "side by side: %.2fx the songs per minute of one after another (each song byte-identical in both)\n", wall[1] / wall[8]
  }' "$work/times"
