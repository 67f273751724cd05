#!/usr/bin/env bash
# Idle MQTT connections spread over a cluster of node processes on this machine (issue 12's
# "50,000 idle connections over 3 nodes"), and each node's memory per connection:
#
#   bench/cluster-idle.sh                       # 3 nodes, 50,000 connections in all
#   NODES=3 CONNECTIONS=50000 HOLD=30 bench/cluster-idle.sh
#
# Each node: default settings plus replicated metadata (metadata-nodes), seeds, its own MQTT port,
# JVM -Xms256m -Xmx1g. One client process per node (MqttBench idle: MQTT 3.1.1 CONNECTs, keep-alive
# 900 s, so that no connection needs a ping while the others connect, from loopback source
# addresses of its own: 127.0.<node>.2, ...) opens CONNECTIONS / NODES connections to it, so no
# process comes near the machine's 20,000 open files. Each client reports its node's RSS (from
# /proc) before and after; the script prints them, the sum, and KiB per connection. Also the
# nodes' CPU while the connections are held (idle keep-alive cost).
# Needs the bench built (bench/run.sh builds it; or ./mvnw -o -q -pl bench -am package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes="${NODES:-3}"
connections="${CONNECTIONS:-50000}"
hold="${HOLD:-30}"
work="$(mktemp -d /tmp/cluster-idle.XXXXXX)"
jar="$(ls "$root"/bench/target/inlet-bench-*.jar | grep -v -e '-sources' | head -n 1)"
bench_cp="$jar:$root/bench/target/lib/*"
# shellcheck source=bench/lib/cluster.sh
source "$root/bench/lib/cluster.sh"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  cluster_stop
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

NODE_HEAP=1g cluster_start "$nodes" "$work"
mqtt=("${node_mqtt[@]}")
sleep 5 # membership and metadata settle
echo "date=$(date -u +%FT%TZ) nodes=$nodes connections=$connections hold=${hold}s load=$(cut -d' ' -f1-3 /proc/loadavg)"

per_node=$((connections / nodes))
client_pids=()
for i in $(seq 1 "$nodes"); do
  count=$per_node
  if ((i == nodes)); then count=$((connections - per_node * (nodes - 1))); fi
  java -Xmx1g -cp "$bench_cp" io.inlet.bench.mqtt.MqttBench idle --port "${mqtt[$((i - 1))]}" \
    --connections "$count" --client-prefix "idle-n$i-" --keep-alive 900 --hold "$hold" --concurrency 200 \
    --per-source-address 15000 --source-prefix "127.0.$i." --server-pid "${node_pids[$((i - 1))]}" >"$work/client-$i.log" 2>&1 &
  pids+=("$!")
  client_pids+=("$!")
done
# CPU over the hold: sampled once every client has its connections accepted.
for i in $(seq 1 "$nodes"); do
  while ! grep -q "connections accepted" "$work/client-$i.log" 2>/dev/null; do
    kill -0 "${client_pids[$((i - 1))]}" 2>/dev/null || break
    sleep 1
  done
done
start_ticks=()
for pid in "${node_pids[@]}"; do start_ticks+=("$(cpu_ticks "$pid")"); done
t0=$(date +%s.%N)
status=0
for pid in "${client_pids[@]}"; do wait "$pid" || status=1; done
t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
total_bytes=0
for i in $(seq 1 "$nodes"); do
  pid=${node_pids[$((i - 1))]}
  cores=$(awk -v a="${start_ticks[$((i - 1))]}" -v b="$(cpu_ticks "$pid")" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%.3f", (b - a) / hz / (t1 - t0) }')
  echo "node $i: $(grep -E 'accepted|RSS' "$work/client-$i.log" | tr '\n' ' ') cores while idle=$cores open files=$(ls /proc/$pid/fd | wc -l)"
  bytes=$(grep -oE '[0-9]+ bytes per connection' "$work/client-$i.log" | cut -d' ' -f1 || echo 0)
  total_bytes=$((total_bytes + ${bytes:-0}))
done
awk -v b="$total_bytes" -v n="$nodes" 'BEGIN { printf "mean KiB per connection over the nodes: %.1f\n", b / n / 1024 }'
exit $status
