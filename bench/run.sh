#!/usr/bin/env bash
# Builds the benchmark jar and its dependencies, then runs one benchmark:
#   bench/run.sh append --matrix
#   bench/run.sh fetch --records 4000000
#   bench/run.sh startup --data-gb 0.5
#   bench/run.sh fsync-ceiling
#   bench/run.sh write-path                  (appending through the page cache vs O_DIRECT: MB/s, CPU per MiB)
#   bench/run.sh segment-log                 (segment log vs RocksDB store, in process)
#   bench/run.sh replicated-log              (replicated shard log, 3 replicas in process, vs one segment log)
#   bench/run.sh drill kill9 --rounds 4        (failure drills: bench/drills/README.md)
#   bench/run.sh cdc --rows 1000000   (MariaDB and PostgreSQL prepared by .ci/cdc-databases.sh)
#   bench/run.sh sql --records 1000000   (continuous SQL; docs/benchmarks.md, SQL)
#   bench/run.sh help <name>
# INLET_BENCH_SKIP_BUILD=1 reuses the last build; INLET_BENCH_JAVA_OPTS sets the
# benchmark JVM's options (the server's are --server-jvm-opt).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${INLET_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

jar="$(ls "$root"/bench/target/inlet-bench-*.jar 2>/dev/null | grep -v -e '-sources' | head -n 1 || true)"
if [[ -z "$jar" ]]; then
  echo "bench/run.sh: no bench jar under $root/bench/target; build without INLET_BENCH_SKIP_BUILD" >&2
  exit 1
fi

export INLET_REPO_ROOT="$root" # the drills find test resources (the power-loss file system) there
# shellcheck disable=SC2086 # INLET_BENCH_JAVA_OPTS is a list of options
exec java ${INLET_BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseG1GC} --enable-native-access=ALL-UNNAMED \
  -cp "$jar:$root/bench/target/lib/*" io.inlet.bench.InletBench "$@"
