#!/usr/bin/env bash
# Batch throughput: the first N POP909 validation songs (training/split/pop909-validation.txt, reduced to their
# melody) completed as one batch (`bin/merlai complete A.mid B.mid ... -o DIR`: one JVM, models loaded once) against
# one `bin/merlai complete` per song, in the same run. Prints the songs per minute of each, their ratio (bar: >= 3x),
# the machine and its load.
#
#   benchmarks/batch.sh                # N=50 songs
#   benchmarks/batch.sh --smoke        # 2 songs: checks that the benchmark still runs (a few seconds of work)
#   N=20 DATA=/path/to/data benchmarks/batch.sh
#
# Needs the shared data (DATA, default ../shared/data, with pop909/<id>/<id>.mid) and java 17.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
songs="${N:-50}"
[ "${1:-}" = "--smoke" ] && songs=2
data="${DATA:-$root/../shared/data}"
[ -f cli/target/merlai-cli.jar ] || scripts/build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Xmx1g -cp "cli/target/merlai-cli.jar:cli/target/lib/*" dev.merlai.cli.ValidationMelodies \
  "$data" training/split/pop909-validation.txt "$songs" "$work/melodies"
melodies=("$work"/melodies/*.mid)

started=$(date +%s.%N)
for melody in "${melodies[@]}"; do
  bin/merlai complete "$melody" -o "$work/one-by-one/$(basename "$melody")" --seed 1
done
batch_started=$(date +%s.%N)
bin/merlai complete "${melodies[@]}" -o "$work/batch" --seed 1
ended=$(date +%s.%N)

written=$(find "$work/batch" -name '*.mid' | wc -l)
[ "$written" -eq "${#melodies[@]}" ] || { echo "batch.sh: the batch wrote $written of ${#melodies[@]} songs" >&2; exit 1; }
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load $(uptime | sed 's/.*load average: //')"
awk -v n="${#melodies[@]}" -v started="$started" -v batch_started="$batch_started" -v ended="$ended" 'BEGIN {
  single = batch_started - started; batch = ended - batch_started
  printf "one bin/merlai complete per song: %d songs in %.1f s, %.1f songs/min\n", n, single, 60 * n / single
  printf "one batch (bin/merlai complete A B ... -o DIR): %d songs in %.1f s, %.1f songs/min\n", n, batch, 60 * n / batch
  printf "ratio: %.1fx (bar: >= 3x)\n", single / batch
}'
