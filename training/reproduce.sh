#!/bin/sh
# Reproduce the shipped models from the shared data on 2 CPU cores in about 130 minutes.
#   training/reproduce.sh [DATA_DIR]      (default: ../shared/data relative to the repo root)
# One core trains the chord model (CHORDS_MINUTES, default 95); the other trains the texture model
# (TEXTURE_MINUTES, default 52), then the downbeat model (DOWNBEAT_MINUTES, default 10) and the drum model
# (DRUMS_MINUTES, default 18; from ../shared/data/groove) and the dynamics model (DYNAMICS_MINUTES, default 10;
# POP909's performed piano and bridge tracks). Then both cores fine-tune the chord model for live sessions
# (LIVE_CHORDS_MINUTES, default 30).
# Logs: training/.cache/train.log, train-chords.log, train-texture.log, train-downbeat.log, train-drums.log, train-dynamics.log,
# train-live-chords.log.
#   training/reproduce.sh --quick         the same steps with tiny models in a few minutes, into .cache/quick-models
set -e
cd "$(dirname "$0")"
if [ "$1" = "--quick" ]; then
  shift
  export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
  /usr/bin/python3 -m merlai_training quick --data "${1:-$(cd .. && pwd)/../shared/data}" --out .cache/quick-models --seconds 20
  /usr/bin/python3 -m merlai_training.drums --quick --data "${1:-$(cd .. && pwd)/../shared/data}" --out .cache/quick-models
  /usr/bin/python3 -m merlai_training.dynamics --quick --data "${1:-$(cd .. && pwd)/../shared/data}" --out .cache/quick-models
  exit 0
fi
DATA="${1:-$(cd .. && pwd)/../shared/data}"
PY=/usr/bin/python3
# one BLAS/OpenMP thread per process: OpenBLAS's own threads spin and slow a busy machine 2-5x
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
mkdir -p .cache
$PY -m merlai_training prepare --data "$DATA" 2>&1 | tee .cache/train.log
$PY -m merlai_training train chords --data "$DATA" --minutes "${CHORDS_MINUTES:-95}" --threads 1 > .cache/train-chords.log 2>&1 &
C=$!
( $PY -m merlai_training train texture --data "$DATA" --minutes "${TEXTURE_MINUTES:-52}" --threads 1 > .cache/train-texture.log 2>&1 &&
  $PY -m merlai_training.downbeat --data "$DATA" --minutes "${DOWNBEAT_MINUTES:-10}" --out ../models > .cache/train-downbeat.log 2>&1 &&
  $PY -m merlai_training.drums --data "$DATA" --minutes "${DRUMS_MINUTES:-18}" --out ../models > .cache/train-drums.log 2>&1 &&
  $PY -m merlai_training.dynamics --data "$DATA" --minutes "${DYNAMICS_MINUTES:-10}" --out ../models > .cache/train-dynamics.log 2>&1 ) &
X=$!
wait $C
wait $X
$PY -m merlai_training validate > .cache/validate.out 2>&1
$PY -m merlai_training export --out ../models 2>&1 | grep -v Warning | tee -a .cache/train.log
# the live chord model starts from the chord model just exported
$PY -m merlai_training live-chords --data "$DATA" --minutes "${LIVE_CHORDS_MINUTES:-30}" --threads 2 --models ../models > .cache/train-live-chords.log 2>&1
echo "done" | tee -a .cache/train.log
