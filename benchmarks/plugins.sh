#!/usr/bin/env bash
# Quality of the plugin ranking: on the labelled check set (plugins/src/test/resources/dev/merlai/plugins/check-set.json,
# track situations with the instrument categories a musician would accept), the share with an acceptable category at
# rank 1 and within the top 3, with the seed catalog, no preferences and no feedback. Prints both figures and every
# situation whose top suggestion is not acceptable; fails when the bar (top-3 >= 90%, top-1 >= 75%) is missed.
# Usage: benchmarks/plugins.sh [--smoke]   (honours MAVEN_ARGS, e.g. -Dmaven.repo.local=...; --smoke: offline, on the modules
#                                          the other modules already installed, as after ./mvnw install)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${1:-}" = --smoke ]; then offline=-o; else offline=; ./mvnw -B -q -pl plugins -am install -DskipTests; fi
./mvnw -B $offline -pl plugins test -Dtest=RankingQualityTest 2>&1 \
  | sed -n '/^plugin ranking check set:/,/^\[/p' | grep -v '^\['
