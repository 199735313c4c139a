#!/bin/sh
# Reproduce the shipped models from the shared data on 2 CPU cores.
#   training/reproduce.sh [DATA_DIR]      (default: ../shared/data relative to the repo root)
# MINUTES (default 78) is the training budget of each model; the two models train at the same
# time, one core each. Logs: training/.cache/train-chords.log, train-texture.log, train.log.
set -e
cd "$(dirname "$0")"
DATA="${1:-$(cd .. && pwd)/../shared/data}"
MINUTES="${MINUTES:-78}"
PY=/usr/bin/python3
# one BLAS/OpenMP thread per process: OpenBLAS's own threads spin and slow a busy machine 2-5x
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
mkdir -p .cache
$PY -m merlai_training prepare --data "$DATA" 2>&1 | tee .cache/train.log
$PY -m merlai_training train chords --data "$DATA" --minutes "$MINUTES" --threads 1 > .cache/train-chords.log 2>&1 &
C=$!
$PY -m merlai_training train texture --data "$DATA" --minutes "$MINUTES" --threads 1 > .cache/train-texture.log 2>&1 &
X=$!
wait $C
wait $X
# optional (off by default; did not help in 4 min: 0.4721 vs 0.4725): a chords fine-tune on 90% POP909 windows
FT_MINUTES="${FT_MINUTES:-0}"
if [ "$FT_MINUTES" != "0" ]; then
  $PY -m merlai_training train chords --data "$DATA" --minutes "$FT_MINUTES" --threads 2 --init .cache/chords.pt \
      --lr 4e-4 --pop-weight 0.9 --seed 7 --out .cache/ft/chords.pt > .cache/train-chords-ft.log 2>&1
  cp .cache/chords.pt .cache/chords-base.pt
  cp .cache/ft/chords.pt .cache/chords.pt
fi
$PY -m merlai_training validate > .cache/validate.out 2>&1
$PY -m merlai_training.meter_profile --data "$DATA" --out ../models/merlai-meter.json 2>&1 | tee -a .cache/train.log
$PY -m merlai_training export --out ../models 2>&1 | grep -v Warning | tee -a .cache/train.log
echo "done" | tee -a .cache/train.log
