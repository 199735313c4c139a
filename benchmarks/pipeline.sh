#!/usr/bin/env bash
# Upload-to-results latency of the one-machine pipeline (median, p95 over N uploads) and cached-repeat latency.
# Usage: benchmarks/pipeline.sh [UPLOADS] [DATA_DIR]
#        benchmarks/pipeline.sh --smoke   (2 uploads: checks that the benchmark runs; data from MERLAI_DATA or ../shared/data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${1:-}" = --smoke ]; then set -- 2 "${MERLAI_DATA:-$root/../shared/data}"; fi
[ -f cli/target/merlai-cli.jar ] && [ -f functions/render-midi/target/quarkus-app/quarkus-run.jar ] && [ -f functions/recommend-plugin/target/quarkus-app/quarkus-run.jar ] || scripts/build
exec java -Xmx512m -DOPT_OUT_TRACKING=true -Dai.djl.offline=true \
  -cp "cli/target/merlai-cli.jar:cli/target/lib/*" dev.merlai.cli.PipelineBenchmark "$root" "${2:-$root/../shared/data}" "${1:-50}"
