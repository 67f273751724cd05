#!/usr/bin/env bash
# Inlet's MQTT listener beside NATS JetStream at steady rates, the servers running at once and
# measured one after another (docs/benchmarks.md, issue 13, "Profile of the MQTT path"):
#
#   bench/mqtt-vs-nats.sh                          # rates 2000 10000, this worktree's build
#   RATES="2000" ROUNDS=2 bench/mqtt-vs-nats.sh
#   INLET_BUILDS="before=/tmp/base/lib after=bench/target/lib" bench/mqtt-vs-nats.sh
#   INLET_SERVER_ARGS="--unsafe-skip-fsync" bench/mqtt-vs-nats.sh   # Inlet without its fsync, as
#                                                                 # NATS's default sync_interval
#   INLET_BUILDS="off=bench/target/lib d500=bench/target/lib" \
#     INLET_SERVER_ARGS_d500="--store-commit-delay-us 500" bench/mqtt-vs-nats.sh  # per-build args
#   PUBLISH_ARGS="--spread" bench/mqtt-vs-nats.sh  # each client's messages offset, not one burst
#
# Each Inlet build is a directory of jars (the bench's bench/target/lib holds the server and its
# dependencies); each starts with default settings (catch-all rule to stream `mqtt`, PUBACK after
# fsync) on a fresh data dir. NATS: nats-server with a JetStream file store and an MQTT port, plus
# an offline persistent session (mosquitto_sub -c -i bench-offline -q 1) so that it stores every
# publish. Load: MqttBench publish, 50 clients, QoS 1, 256 B, window 16 (all clients start their
# pacing at once, so each rate arrives as one burst of 50 messages per interval; PUBLISH_ARGS
# --spread offsets them evenly instead, and any other publish option goes there too); server CPU from
# /proc/<pid>/stat over the measured interval divided by the messages acked; for Inlet also the
# messages per group commit (one fsync each), from its /metrics. For each Inlet build
# also the bytes its JVM allocated per message (JFR's per-thread totals read by bench/jfr-alloc.py;
# not for NATS), a figure the machine's load hardly moves. ALLOC=0 leaves JFR off.
# Needs the bench built (bench/run.sh builds it; or ./mvnw -o -q -pl bench -am package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rates="${RATES:-2000 10000}"
rounds="${ROUNDS:-1}"
warmup="${WARMUP:-5}"
duration="${DURATION:-20}"
builds="${INLET_BUILDS:-inlet=$root/bench/target/lib}"
work="$(mktemp -d /tmp/mqtt-vs-nats.XXXXXX)"
jar="$(ls "$root"/bench/target/inlet-bench-*.jar | grep -v -e '-sources' | head -n 1)"
bench_cp="$jar:$root/bench/target/lib/*"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "port $1 never opened" >&2
  return 1
}

# Context switches (voluntary + involuntary) of every thread of a process so far: a thread
# hand-off or a wake-up per message shows here, and the machine's load distorts it less than CPU.
switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'
}

# Group commits an Inlet server has made so far, from its /metrics: how many messages share an
# fsync, a figure the machine's load hardly moves.
group_commits() {
  curl -s "127.0.0.1:$1/metrics" |
    awk '/^inlet_store_group_commit_batches_count/ { n = $2 } END { printf "%d", n + 0 }'
}

names=()
ports=()
http_ports=()
server_pids=()

for build in $builds; do
  name="${build%%=*}"
  lib="${build#*=}"
  port="$(free_port)"
  http_port="$(free_port)"
  mkdir -p "$work/$name"
  build_args_var="INLET_SERVER_ARGS_$name"
  # shellcheck disable=SC2086 # INLET_JVM_OPTS and INLET_SERVER_ARGS* are lists of options
  java ${INLET_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC} --enable-native-access=ALL-UNNAMED \
    -cp "$lib/*" io.inlet.server.ServerCommand --bind 127.0.0.1 --mqtt-port "$port" \
    --grpc-port 0 --http-port "$http_port" --ws-port off --mqtts-port off --exhook-port 0 \
    --data-dir "$work/$name/data" ${INLET_SERVER_ARGS:-} ${!build_args_var:-} >"$work/$name/server.log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  ports+=("$port")
  http_ports+=("$http_port")
  server_pids+=("$!")
done

nats_port="$(free_port)"
mkdir -p "$work/nats/js"
cat >"$work/nats/nats.conf" <<EOF
server_name: bench
listen: 127.0.0.1:$(free_port)
jetstream { store_dir: "$work/nats/js" }
mqtt { port: $nats_port }
EOF
nats-server -c "$work/nats/nats.conf" >"$work/nats/server.log" 2>&1 &
pids+=("$!")
names+=("nats")
ports+=("$nats_port")
http_ports+=("")
server_pids+=("$!")

for port in "${ports[@]}"; do wait_port "$port"; done
mosquitto_sub -h 127.0.0.1 -p "$nats_port" -t 'bench/#' -q 1 -c -i bench-offline -W 2 || true

echo "# $(date -u +%FT%TZ) rates: $rates, rounds: $rounds, warm-up ${warmup}s, measured ${duration}s"
for round in $(seq 1 "$rounds"); do
  for rate in $rates; do
    for i in "${!names[@]}"; do
      echo "## round $round, rate $rate, ${names[$i]} (pid ${server_pids[$i]}), $(uptime | sed 's/.*load/load/')"
      before="$(switches "${server_pids[$i]}")"
      groups_before=0
      if [[ -n "${http_ports[$i]}" ]]; then groups_before="$(group_commits "${http_ports[$i]}")"; fi
      record_alloc=0
      if [[ "${names[$i]}" != nats && "${ALLOC:-1}" == 1 ]]; then
        record_alloc=1
        jcmd "${server_pids[$i]}" JFR.start name=alloc settings="$root/bench/alloc.jfc" >/dev/null
      fi
      # shellcheck disable=SC2086 # PUBLISH_ARGS is a list of options
      java -Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$bench_cp" \
        io.inlet.bench.mqtt.MqttBench publish --port "${ports[$i]}" \
        --server-pid "${server_pids[$i]}" --clients 50 --qos 1 --payload 256 --window 16 \
        --warmup "$warmup" --duration "$duration" --rate "$rate" --label "${names[$i]}" ${PUBLISH_ARGS:-} \
        | tee "$work/last.txt" || true
      after="$(switches "${server_pids[$i]}")"
      sent="$(sed -n 's/.*(\([0-9]*\) acked, \([0-9]*\) sent).*/\2/p' "$work/last.txt")"
      # counted over warm-up and measured interval together: divide by every message sent
      # (warm-up included), estimated from the measured rate
      total=$(( ${sent:-0} * (warmup + duration) / duration ))
      if [[ "$total" -gt 0 ]]; then
        awk -v d=$((after - before)) -v n="$total" \
          'BEGIN { printf "  server ctx  %.2f context switches/msg (warm-up included)\n", d / n }'
        if [[ -n "${http_ports[$i]}" ]]; then
          awk -v g=$(($(group_commits "${http_ports[$i]}") - groups_before)) -v n="$total" \
            'BEGIN { if (g > 0) printf "  groups      %.1f messages per group commit (warm-up included)\n", n / g }'
        fi
      fi
      if [[ "$record_alloc" == 1 ]]; then
        jcmd "${server_pids[$i]}" JFR.stop name=alloc filename="$work/alloc.jfr" >/dev/null
        jfr print --json --events jdk.ThreadAllocationStatistics "$work/alloc.jfr" >"$work/alloc.json"
        python3 "$root/bench/jfr-alloc.py" "$work/alloc.json" --messages "$total"
        echo "  (allocation warm-up included)"
      fi
    done
  done
done
