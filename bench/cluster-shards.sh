#!/usr/bin/env bash
# The idle cost of replicated shards (issue 12's "1,000 replicated shards on 3 nodes: idle CPU per
# node and memory"):
#
#   bench/cluster-shards.sh                         # 3 nodes, 1,000 shards, replication factor 3
#   NODES=3 SHARDS=1000 REPLICATION=3 HOLD=60 bench/cluster-shards.sh
#
# Starts NODES node processes (bench/lib/cluster.sh: metadata nodes, fast gossip), lets them
# settle, and measures each node's CPU over HOLD seconds and its RSS with no stream. Then creates
# one stream of SHARDS shards with REPLICATION copies each, waits until `inlet cluster status
# --shards` names a leader for every shard (the time it took is printed), lets it settle, and
# measures the same again: the difference is what the shards cost while nothing is appended.
# Needs the bench built (bench/run.sh builds it; or ./mvnw -o -q -pl bench -am package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes="${NODES:-3}"
shards="${SHARDS:-1000}"
replication="${REPLICATION:-3}"
hold="${HOLD:-60}"
settle="${SETTLE:-20}"
work="$(mktemp -d /tmp/cluster-shards.XXXXXX)"
# shellcheck source=bench/lib/cluster.sh
source "$root/bench/lib/cluster.sh"

cleanup() {
  cluster_stop
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

cli() { java -cp "$root/bench/target/lib/*" io.inlet.cli.InletCli "$@"; }

# Each node's cores over HOLD seconds, and its RSS at the end.
measure() {
  local label=$1 hz t0 t1 i start=()
  hz=$(getconf CLK_TCK)
  for pid in "${node_pids[@]}"; do start+=("$(cpu_ticks "$pid")"); done
  t0=$(date +%s.%N)
  sleep "$hold"
  t1=$(date +%s.%N)
  for i in $(seq 0 $((nodes - 1))); do
    pid=${node_pids[$i]}
    awk -v a="${start[$i]}" -v b="$(cpu_ticks "$pid")" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
      -v rss="$(rss_kib "$pid")" -v n=$((i + 1)) -v label="$label" \
      'BEGIN { printf "%-22s node %d: %.3f cores, RSS %.0f MiB\n", label, n, (b - a) / hz / (t1 - t0), rss / 1024 }'
  done
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

cluster_start "$nodes" "$work"
server="127.0.0.1:${node_grpc[0]}"
echo "date=$(date -u +%FT%TZ) nodes=$nodes shards=$shards replication=$replication hold=${hold}s"
sleep "$settle"
measure "no stream"

t0=$(date +%s.%N)
cli --server "$server" stream create idle-shards --shards "$shards" \
  --replication-factor "$replication" >/dev/null
led=0
for _ in $(seq 1 600); do
  led=$(cli --server "$server" cluster status --shards --json --timeout 60 |
    python3 -c 'import json, sys
print(sum(1 for s in json.load(sys.stdin)["shards"] if s.get("leader")))')
  [[ "$led" -ge "$shards" ]] && break
  sleep 2
done
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v led="$led" -v n="$shards" \
  'BEGIN { printf "%d of %d shards led %.1f s after the create call\n", led, n, b - a }'
[[ "$led" -ge "$shards" ]] || { echo "not every shard got a leader"; exit 1; }
sleep "$settle"
measure "$shards shards, rf $replication"
for i in $(seq 1 "$nodes"); do
  echo "node $i data dir: $(du -sh "$work/node-$i" | cut -f1), open files: $(ls "/proc/${node_pids[$((i - 1))]}/fd" | wc -l), threads: $(ls "/proc/${node_pids[$((i - 1))]}/task" | wc -l)"
done
