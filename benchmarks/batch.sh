#!/usr/bin/env bash
# Batch throughput: the first N POP909 validation songs (training/split/pop909-validation.txt, reduced to their
# melody) completed as one batch (`bin/merlai complete A.mid B.mid ... -o DIR`: one JVM, models loaded once) against
# one `bin/merlai complete` per song, in the same run; and the batch with its songs' drum and dynamics model calls
# batched together (the default, --songs-at-once 8) against one song after another (--songs-at-once 1), whose songs must
# come out byte for byte the same. Prints the songs per minute of each (and the batches' CPU seconds: on a shared machine
# eight song threads get a larger share of the cores than one), their ratios (bar: >= 3x), the machine and its load.
#
#   benchmarks/batch.sh                          # N=50 songs
#   benchmarks/batch.sh --smoke                  # 2 songs: checks that the benchmark still runs (a few seconds of work)
#   benchmarks/batch.sh --model-batching [R]     # only the two batches, alternated R times (default 3)
#   N=20 DATA=/path/to/data benchmarks/batch.sh
#
# Needs the shared data (DATA, default ../shared/data, with pop909/<id>/<id>.mid) and java 17.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
songs="${N:-50}"
mode=all rounds=1
[ "${1:-}" = "--smoke" ] && songs=2
[ "${1:-}" = "--model-batching" ] && mode=batches rounds="${2:-3}"
data="${DATA:-$root/../shared/data}"
[ -f cli/target/merlai-cli.jar ] || scripts/build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Xmx1g -cp "cli/target/merlai-cli.jar:cli/target/lib/*" dev.merlai.cli.ValidationMelodies \
  "$data" training/split/pop909-validation.txt "$songs" "$work/melodies"
melodies=("$work"/melodies/*.mid)
n=${#melodies[@]}
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load before $(uptime | sed 's/.*load average: //')"

if [ "$mode" = all ]; then
  started=$(date +%s.%N)
  for melody in "${melodies[@]}"; do
    bin/merlai complete "$melody" -o "$work/one-by-one/$(basename "$melody")" --seed 1
  done
  single=$(echo "$(date +%s.%N) - $started" | bc)
  awk -v n="$n" -v s="$single" 'BEGIN { printf "one bin/merlai complete per song: %d songs in %.1f s, %.1f songs/min\n", n, s, 60 * n / s }'
fi

# One batch: wall and CPU seconds (user + system) on a line of $work/times.
batch() {
  local at_once="$1" out="$2"
  /usr/bin/time -a -o "$work/times" -f "$at_once %e %U %S" bin/merlai complete "${melodies[@]}" -o "$out" --seed 1 --songs-at-once "$at_once"
  written=$(find "$out" -name '*.mid' | wc -l)
  [ "$written" -eq "$n" ] || { echo "batch.sh: the batch wrote $written of $n songs" >&2; exit 1; }
}
for round in $(seq "$rounds"); do
  batch 8 "$work/batch-$round"
  batch 1 "$work/one-at-a-time-$round"
  diff -r "$work/batch-$round" "$work/one-at-a-time-$round" > /dev/null \
    || { echo "batch.sh: a song batched with others differs from its completion one at a time" >&2; exit 1; }
done
echo "load after $(uptime | sed 's/.*load average: //')"
awk -v n="$n" -v single="${single:-0}" '
  { wall[$1] += $2; cpu[$1] += $3 + $4; runs[$1]++ }
  END {
    for (k = 8; k >= 1; k -= 7) printf "one batch, --songs-at-once %d%s: %d songs in %.1f s (%.1f CPU s), %.1f songs/min (mean of %d)\n", k,
      k == 8 ? " (model calls batched)" : " (each model call alone)", n, wall[k] / runs[k], cpu[k] / runs[k], 60 * n * runs[k] / wall[k], runs[k]
    printf "model batching: %.2fx the songs per minute; CPU seconds one at a time / batched: %.2f (the songs byte-identical)\n", wall[1] / wall[8], cpu[1] / cpu[8]
    if (single > 0) printf "ratio against one call per song: %.1fx (bar: >= 3x)\n", single / (wall[8] / runs[8])
  }' "$work/times"
