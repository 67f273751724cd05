#!/usr/bin/env bash
# Catch-up of a replica that was down under load (issue 12's "catch-up time of a node that was
# down for a minute under load"):
#
#   bench/cluster-catchup.sh
#   DOWN=60 NODES=3 bench/cluster-catchup.sh
#
# Starts NODES node processes (bench/lib/cluster.sh), runs Append load (100 B records in batches of
# 100, 8 clients following LookupShard) into a one-shard stream with replication factor 3, kills a
# follower of that shard with SIGKILL, keeps the load on for DOWN seconds, starts the follower
# again with the same data directory and ports (the stream is made with 3 replicas, so NODES must
# be at least 3), and polls `inlet cluster status --shards --json`
# (asked of the leader) until the restarted replica is as close to the leader's log as the
# follower that never stopped (within 100 entries). Prints how far behind it was and how long it
# took. Needs the bench built (bench/run.sh builds it; or ./mvnw -o -q -pl bench -am package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes="${NODES:-3}"
down="${DOWN:-60}"
work="$(mktemp -d /tmp/cluster-catchup.XXXXXX)"
jar="$(ls "$root"/bench/target/inlet-bench-*.jar | grep -v -e '-sources' | head -n 1)"
bench_cp="$jar:$root/bench/target/lib/*"
# shellcheck source=bench/lib/cluster.sh
source "$root/bench/lib/cluster.sh"

load_pid=""
cleanup() {
  [[ -n "$load_pid" ]] && kill "$load_pid" 2>/dev/null
  cluster_stop
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

cli() { java -cp "$root/bench/target/lib/*" io.inlet.cli.InletCli "$@"; }

# shard_json SERVER: the bench stream's shard as `cluster status --shards --json` shows it
shard_json() {
  cli --server "$1" cluster status --shards --json --timeout 20 2>/dev/null | python3 -c '
import json, sys
shards = [s for s in json.load(sys.stdin)["shards"] if s["stream"].startswith("bench-append-")]
print(json.dumps(shards[0]) if shards else "")'
}

# lag_of JSON NODE: entries the replica on NODE lacks, as its leader last heard
lag_of() {
  python3 -c 'import json, sys
s = json.loads(sys.argv[1]); n = int(sys.argv[2])
print(next((r["lagEntries"] for r in s.get("replicas", []) if r["id"] == n), -1))' "$1" "$2"
}

cluster_start "$nodes" "$work"
first="127.0.0.1:${node_grpc[0]}"
echo "date=$(date -u +%FT%TZ) nodes=$nodes down=${down}s load=$(cut -d' ' -f1-3 /proc/loadavg)"
# The stream's replicas are the members running when it is created: wait until all are.
for _ in $(seq 1 120); do
  running=$(cli --server "$first" cluster status --json 2>/dev/null |
    python3 -c 'import json, sys; print(sum(1 for m in json.load(sys.stdin)["members"] if m["state"] == "Running"))' || echo 0)
  [[ "$running" -ge "$nodes" ]] && break
  sleep 1
done
java -Xms512m -Xmx1g -cp "$bench_cp" io.inlet.bench.InletBench append --server "$first" \
  --record-bytes 100 --batch 100 --clients 8 --shards 1 --replication-factor 3 --follow-leaders \
  --warmup 5 --max-warmup 5 --duration $((down + 600)) --no-fsync-ceiling \
  >"$work/load.out" 2>"$work/load.err" &
load_pid=$!

status=""
for _ in $(seq 1 60); do
  status="$(shard_json "$first")"
  [[ -n "$status" ]] && [[ "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1]).get("replicas", [])))' "$status")" == 3 ]] && break
  sleep 1
done
leader=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["leader"]["id"])' "$status")
follower=$(python3 -c 'import json, sys
s = json.loads(sys.argv[1]); print([r["id"] for r in s["replicas"] if r["id"] != s["leader"]["id"]][0])' "$status")
other=$(python3 -c 'import json, sys
s = json.loads(sys.argv[1]); print([r["id"] for r in s["replicas"] if r["id"] not in (s["leader"]["id"], int(sys.argv[2]))][0])' "$status" "$follower")
leader_addr="127.0.0.1:${node_grpc[$((leader - 1))]}"
sleep 10 # the load runs a while with every replica up
echo "shard led by node $leader; killing follower $follower (the other follower is node $other)"
node_kill "$follower"
sleep "$down"
behind_at_restart=$(lag_of "$(shard_json "$leader_addr")" "$follower")
node_start "$follower"
t0=$(date +%s.%N)
node_await "$follower" "$work"
while true; do
  status="$(shard_json "$leader_addr")"
  lag=$(lag_of "$status" "$follower")
  other_lag=$(lag_of "$status" "$other")
  now=$(date +%s.%N)
  if [[ "$lag" -ge 0 && "$other_lag" -ge 0 && "$lag" -le $((other_lag + 100)) ]]; then break; fi
  if awk -v a="$t0" -v b="$now" 'BEGIN { exit !(b - a > 600) }'; then
    echo "not caught up after 600 s (lag $lag)"
    exit 1
  fi
  sleep 0.5
done
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v behind="$behind_at_restart" -v down="$down" \
  'BEGIN { printf "node down %d s; %d entries behind when started again; caught up %.1f s after the restart (start-up included): %.0f entries/s\n", down, behind, b - a, behind / (b - a) }'
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
