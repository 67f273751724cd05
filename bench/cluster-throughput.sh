#!/usr/bin/env bash
# Throughput of 3 nodes with replication factor 3 as a ratio to one node, measured in one run
# (issue 12's cluster benchmark):
#
#   bench/cluster-throughput.sh
#   DURATION=15 WARMUP=8 MAX_WARMUP=180 NODES=3 bench/cluster-throughput.sh
#
# For one node (no cluster settings, replication factor 1) and then for NODES nodes
# (bench/lib/cluster.sh: metadata nodes; streams with replication factor NODES), the same loads:
#   1. Append, 100 B records in batches of 1000, 16 clients, 3 shards;
#   2. Append, single 100 B records, 64 clients, 3 shards;
#   3. MQTT QoS 1, 256 B, one MqttBench process per node (50 clients in all, window 16) into the
#      built-in rule's stream "mqtt", created beforehand with 3 shards.
# Before the loads are measured on either side, the servers are warmed up under all three loads at
# once until their JIT compilers are quiet (under 0.05 cores per process over a 5 s round; at most
# MAX_WARMUP seconds, default 180): three cold JVMs on two cores compile for a minute or more, and
# measured cold the cluster ran at a quarter of its warm rate.
# For the Append loads it also prints the device's bytes written (/proc/diskstats, the whole
# device, so other processes' writes count too) per payload byte per copy.
# In the cluster the append clients follow LookupShard to each shard's leader (as HStreamDB clients
# do); MQTT publishers are spread over the nodes, and each node forwards a publish to the leader
# of the shard its key picks. Prints each figure and the ratio cluster / one node.
# Needs the bench built (bench/run.sh builds it; or ./mvnw -o -q -pl bench -am package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes="${NODES:-3}"
duration="${DURATION:-15}"
warmup="${WARMUP:-8}"
max_warmup="${MAX_WARMUP:-180}"
work="$(mktemp -d /tmp/cluster-throughput.XXXXXX)"
jar="$(ls "$root"/bench/target/inlet-bench-*.jar | grep -v -e '-sources' | head -n 1)"
bench_cp="$jar:$root/bench/target/lib/*"
# shellcheck source=bench/lib/cluster.sh
source "$root/bench/lib/cluster.sh"

single_pid=""
cleanup() {
  [[ -n "$single_pid" ]] && kill "$single_pid" 2>/dev/null && { wait "$single_pid" 2>/dev/null || true; }
  cluster_stop
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

cli() { java -cp "$root/bench/target/lib/*" io.inlet.cli.InletCli "$@"; }

# Bytes written to the device that holds the nodes' data (field 10 of /proc/diskstats: sectors).
device="$(basename "$(df --output=source "$work" | tail -1)")"
device_bytes() { awk -v d="$device" '$3 == d { print $10 * 512 }' /proc/diskstats; }

# append LABEL SERVER BATCH CLIENTS [extra bench options]: prints "LABEL records/s"
append() {
  local label=$1 server=$2 batch=$3 clients=$4 copies=$5 before
  shift 5
  before=$(device_bytes)
  java -Xms1g -Xmx2g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED -cp "$bench_cp" \
    io.inlet.bench.InletBench append --server "$server" --record-bytes 100 --batch "$batch" \
    --clients "$clients" --shards 3 --warmup "$warmup" --max-warmup "$warmup" \
    --duration "$duration" --no-fsync-ceiling "$@" >"$work/append.out" 2>"$work/append.err" || {
    cat "$work/append.err"
    return 1
  }
  # the run's summary line: "=> 123,456 records/s, p99 ..."
  local rate written
  rate=$(grep -oE '=> [0-9,]+ records/s' "$work/append.err" | head -1 | tr -dc '0-9')
  written=$(($(device_bytes) - before))
  # device bytes per payload byte per copy, over warm-up and run (records appended in both)
  awk -v w="$written" -v r="$rate" -v d="$duration" -v u="$warmup" -v c="$copies" \
    'BEGIN { if (r > 0) printf "    device bytes written / (payload bytes x %d copies): %.2f (estimated from the measured rate over warm-up and run; the whole device)\n", c, w / (r * (d + u) * 100 * c) }'

  grep -E '=>|leader' "$work/append.err" | sed "s/^ */    $label: /" || true
  echo "$label $rate"
}

# mqtt LABEL PORT...: one publisher process per port, clients split; prints "LABEL msgs/s" summed
mqtt() {
  local label=$1
  shift
  local ports=("$@") pids=() i per=$((50 / $#))
  for i in "${!ports[@]}"; do
    java -Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$bench_cp" \
      io.inlet.bench.mqtt.MqttBench publish --port "${ports[$i]}" --clients "$per" --qos 1 \
      --payload 256 --window 16 --warmup "$warmup" --duration "$duration" \
      --client-prefix "tp$i-" --topic "bench/$i/%d" --label "$label-$i" >"$work/mqtt-$i.out" 2>&1 &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  local total=0 rate
  for i in "${!ports[@]}"; do
    rate=$(grep -oE '[0-9,.]+ msgs/s' "$work/mqtt-$i.out" | head -1 | tr -d ', msgs/')
    echo "    $label publisher $i: ${rate:-none} msgs/s; $(grep -iE 'p99|puback' "$work/mqtt-$i.out" | head -1)"
    total=$(awk -v a="$total" -v b="${rate:-0}" 'BEGIN { print a + b }')
  done
  echo "$label $total"
}

# warm_load SECONDS: the three loads at once for about SECONDS, on the gRPC server $warm_grpc and
# the MQTT ports $warm_mqtt (space-separated), with $warm_append_args for the Append clients.
warm_load() {
  local seconds=$1 pids=() port batch pid
  for batch in 1 1000; do
    # shellcheck disable=SC2086 # warm_append_args is a list of options
    java -Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$bench_cp" \
      io.inlet.bench.InletBench append --server "$warm_grpc" --record-bytes 100 --batch "$batch" \
      --clients 16 --shards 3 --warmup 0 --max-warmup 0 --duration "$seconds" \
      --no-fsync-ceiling $warm_append_args &
    pids+=("$!")
  done
  for port in $warm_mqtt; do
    java -Xms256m -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$bench_cp" \
      io.inlet.bench.mqtt.MqttBench publish --port "$port" --clients 8 --qos 1 --payload 256 \
      --window 16 --warmup 0 --duration "$seconds" --client-prefix "warm$port-" \
      --topic "bench/warm/%d" --label warm &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
}

echo "date=$(date -u +%FT%TZ) nodes=$nodes duration=${duration}s warmup=${warmup}s load=$(cut -d' ' -f1-3 /proc/loadavg)"

# One node, no cluster settings.
single_mqtt="$(free_port)"
java -Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$root/bench/target/lib/*" \
  io.inlet.cli.InletCli server --data-dir "$work/single" --grpc-port 0 --http-port 0 \
  --exhook-port 0 --ws-port off --mqtt-port "$single_mqtt" --port-file "$work/single.ports" \
  >"$work/single.log" 2>&1 &
single_pid=$!
for _ in $(seq 1 600); do [[ -s "$work/single.ports" ]] && break; sleep 0.2; done
single_grpc=$(grep -oE '"grpcPort":[0-9]+' "$work/single.ports" | cut -d: -f2)
cli --server "127.0.0.1:$single_grpc" stream create mqtt --shards 3 >/dev/null
warm_grpc="127.0.0.1:$single_grpc" warm_mqtt="$single_mqtt" warm_append_args=""
warm_until_jit_quiet "$max_warmup" warm_load "$single_pid"
results=()
results+=("$(append "one-node batch1000" "127.0.0.1:$single_grpc" 1000 16 1)")
results+=("$(append "one-node single" "127.0.0.1:$single_grpc" 1 64 1)")
results+=("$(mqtt "one-node mqtt" "$single_mqtt")")
kill "$single_pid"
wait "$single_pid" 2>/dev/null || true
single_pid=""

# NODES nodes, replication factor NODES.
cluster_start "$nodes" "$work"
first="127.0.0.1:${node_grpc[0]}"
sleep 10 # membership and metadata settle
cli --server "$first" stream create mqtt --shards 3 --replication-factor "$nodes" >/dev/null
warm_grpc="$first" warm_mqtt="${node_mqtt[*]}"
warm_append_args="--replication-factor $nodes --follow-leaders"
warm_until_jit_quiet "$max_warmup" warm_load "${node_pids[@]}"
results+=("$(append "cluster batch1000" "$first" 1000 16 "$nodes" --replication-factor "$nodes" --follow-leaders)")
results+=("$(append "cluster single" "$first" 1 64 "$nodes" --replication-factor "$nodes" --follow-leaders)")
results+=("$(mqtt "cluster mqtt" "${node_mqtt[@]}")")

echo
printf '%s\n' "${results[@]}" | grep -vE '^ ' >"$work/results"
printf '%s\n' "${results[@]}" | grep -E '^ ' || true
echo "| load | one node | $nodes nodes, rf $nodes | ratio |"
echo "|---|--:|--:|--:|"
for load in batch1000 single mqtt; do
  one=$(awk -v l="$load" '$1 == "one-node" && $2 == l { print $3 }' "$work/results")
  many=$(awk -v l="$load" '$1 == "cluster" && $2 == l { print $3 }' "$work/results")
  awk -v l="$load" -v a="${one:-0}" -v b="${many:-0}" \
    'BEGIN { printf "| %s | %\047.0f | %\047.0f | %s |\n", l, a, b, (a > 0 ? sprintf("%.0f%%", 100 * b / a) : "-") }'
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
