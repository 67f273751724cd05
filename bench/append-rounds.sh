#!/usr/bin/env bash
# Single-record Appends of several Inlet builds and the null server, interleaved in rounds, a fresh
# server per run, so that each build can be read against the null server of its own round
# (docs/benchmarks.md, issue 13):
#
#   bench/append-rounds.sh                                          # this worktree's build, 3 rounds
#   INLET_BUILDS="before=/tmp/base/lib after=bench/target/lib" ROUNDS=3 bench/append-rounds.sh
#   APPEND_ARGS="--record-bytes 1024 --batch 1 --clients 16 --duration 15" bench/append-rounds.sh
#   bench/append-rounds.sh --shards 16                              # more options for every run
#
# Each build is a directory of jars (the bench's bench/target/lib holds the server and its
# dependencies; copy it and swap a module's jar to compare a change); the bench and its spawned
# server run on that classpath. APPEND_ARGS (default: 100 B records, batch 1, 64 clients, 15 s
# measured) and the script's arguments go to every run.
# One line per run: appends/s, p50 and p99 ms, server and bench cores, server µs of CPU per
# append, disk flushes/s. Needs the bench built (bench/run.sh builds it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$(ls "$root"/bench/target/inlet-bench-*.jar 2>/dev/null | grep -v -e '-sources' | head -n 1 || true)"
if [[ -z "$jar" ]]; then
  echo "bench/append-rounds.sh: no bench jar; run bench/run.sh once to build it" >&2
  exit 1
fi
builds="${INLET_BUILDS:-inlet=$root/bench/target/lib}"
rounds="${ROUNDS:-3}"
read -r -a append_args <<<"${APPEND_ARGS:---record-bytes 100 --batch 1 --clients 64 --duration 15}"
export INLET_REPO_ROOT="$root"

run() { # name libdir [options...]
  local name="$1" lib="$2"
  shift 2
  local out
  out="$(java -Xms1g -Xmx2g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED -cp "$jar:$lib/*" \
    io.inlet.bench.InletBench append "${append_args[@]}" --no-fsync-ceiling "$@" 2>&1 |
    grep '^| ' | tail -n 1)"
  # | record B | batch | clients | records/s | MB/s | appends/s | p50 | p99 | p99.9 | server | bench | ...
  awk -F'|' -v round="$round" -v name="$name" '{
      gsub(/[ ,]/, "", $7); server = $11 + 0; rate = $7 + 0
      printf "round %s %-8s %8d appends/s  p50 %s ms  p99 %s ms  server %s cores  bench %s cores  %5.1f us/append  flushes/s %s\n",
        round, name, rate, $8 + 0, $9 + 0, server, $12 + 0, (rate > 0 ? server * 1e6 / rate : 0), $16
    }' <<<"$out"
}

for round in $(seq "$rounds"); do
  for build in $builds; do
    run "${build%%=*}" "${build#*=}" "$@"
  done
  run null "$root/bench/target/lib" --null-server "$@"
done
