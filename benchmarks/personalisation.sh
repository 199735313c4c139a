#!/usr/bin/env bash
# Does personalisation move the music towards the composer, and how long does fine-tuning take? Base vs
# personalised models on one POP909 artist (Jay Chou, 22 songs) and one Lieder composer (Georges Bizet, 24 songs):
# fine-tune on 80% of their songs (wall time, machine load), arrange the other 20% with both through the product
# (bin/merlai complete --models, 3 seeds) and score them with ../shared/eval (mean texture overlapped area;
# Jensen-Shannon divergence of the chord-quality histogram from the composer's own). Needs training/.cache/songs-all.pkl (python3 -m merlai_training prepare). ~10 min idle.
# Usage: benchmarks/personalisation.sh [DATA_DIR] [OUT_DIR] [--reuse-models] (score the models a previous run fine-tuned)
#        benchmarks/personalisation.sh --smoke   (4 of Jay Chou's songs prepared on the spot, the quick fine-tuning, one
#                                                 seed, into a temporary folder: checks that the benchmark runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = --smoke ]; then
  smoke_out="$(mktemp -d "${TMPDIR:-/tmp}/merlai-personal-smoke.XXXXXX")"
  trap 'rm -rf "$smoke_out" "$smoke_out.log"' EXIT
  set -- "${MERLAI_DATA:-$root/../shared/data}" "$smoke_out" --smoke
fi
data="${1:-$root/../shared/data}"
out="${2:-/tmp/merlai-personal}"
shift $(( $# < 2 ? $# : 2 ))
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
cd "$root/training"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MERLAI_DATA="$data" /usr/bin/python3 -m merlai_training.personal_bench --data "$data" --out "$out" "$@" \
  2> "$out.log" | grep -v '^{"event"'
echo "machine after: $(uptime | sed 's/.*load/load/')"
