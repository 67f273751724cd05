#!/usr/bin/env bash
# The bounded subset of the failure drills that CI runs after the test suite (a few minutes).
# Runs every drill even when one fails, prints each summary line, and exits non-zero if any failed.
# Needs root (tmpfs, FUSE) like .ci/run; INLET_BENCH_SKIP_BUILD=1 reuses the last bench build.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
summary="${INLET_DRILL_SUMMARY:-$root/bench/target/drills-summary.txt}"
mkdir -p "$(dirname "$summary")"
: > "$summary"

if [[ "${INLET_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && ./mvnw -B -ntp -q -pl bench -am package -DskipTests) || exit 1
fi
export INLET_BENCH_SKIP_BUILD=1

failed=()
drill() {
  echo "[drills] $*"
  if ! "$root/bench/run.sh" drill "$@" --summary-file "$summary"; then
    failed+=("$1")
  fi
}

# Power loss is covered by PowerLossIT in the test suite; disk-full needs a few minutes of filling.
drill kill9 --rounds 2 --max-load-seconds 4
drill storage-damage --case MISSING_CURRENT --case WAL_BIT_FLIP --case SST_FIRST_BLOCK_FLIP
drill hostile-grpc
drill hostile-mqtt --fuzz-frames 100000 --fuzz-seconds 60 --slowloris 50 --slowloris-seconds 15 \
  --connect-flood 500 --qos2-clients 20
drill slow-http --duration PT10S

echo "[drills] summaries:"
cat "$summary"
if ((${#failed[@]})); then
  echo "[drills] FAILED: ${failed[*]}"
  exit 1
fi
echo "[drills] all passed"
