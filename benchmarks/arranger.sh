#!/usr/bin/env bash
# Speed and memory of the arranger on this machine: model load, warm completions of ~64- and ~100-bar
# POP909 validation melodies (median and spread), and the process's peak resident memory.
# Usage: benchmarks/arranger.sh [DATA_DIR] [THREADS]
#        benchmarks/arranger.sh --smoke   (the ~64-bar melody once, no warm-up: checks that the benchmark runs;
#                                          data from MERLAI_DATA or ../shared/data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
smoke=()
if [ "${1:-}" = --smoke ]; then smoke=(--smoke); set -- "${MERLAI_DATA:-$root/../shared/data}"; fi
[ -f cli/target/merlai-cli.jar ] || scripts/build
# ONNX Runtime's native libraries from the folder cli's build unpacks them into, as bin/merlai loads them.
native=()
if [ -f cli/target/onnxruntime/libonnxruntime.so ]; then native=(-Donnxruntime.native.path="$root/cli/target/onnxruntime"); fi
exec java -Xmx1g -XX:+UseSerialGC "${native[@]}" -DOPT_OUT_TRACKING=true -Dai.djl.offline=true \
  -cp "cli/target/merlai-cli.jar:cli/target/lib/*" dev.merlai.cli.ArrangerBenchmark \
  "${1:-$root/../shared/data}" training/split/pop909-validation.txt "${2:-2}" "${smoke[@]}"
