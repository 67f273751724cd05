# Shared by the cluster benchmarks (sourced, not run): node processes of one cluster on this
# machine, each a metadata node with ports of its own, started from the bench's classpath.
#
#   source "$root/bench/lib/cluster.sh"
#   cluster_start 3 "$work" [extra server arguments...]
#   ... ${node_pids[i]}, ${node_grpc[i]}, ${node_mqtt[i]} (0-based) ...
# The caller's EXIT trap should call cluster_stop.

# A free port below the ephemeral range, so that no client's own connection can take it between
# this choice and the node's bind.
free_port() {
  python3 -c '
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
while True:
    port = random.randrange(10000, low)
    try:
        with socket.socket() as s:
            s.bind(("0.0.0.0", port))
        print(port)
        break
    except OSError:
        pass'
}

# CPU ticks (user + system) a process has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Resident memory of a process, KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

node_pids=()
node_grpc=()
node_mqtt=()

# cluster_start NODES WORK [server args...]: starts the nodes and waits for their port files.
# Each node: metadata-nodes (all of them), seeds (the first two), fast gossip timings, JVM heap
# -Xms256m -Xmx${NODE_HEAP:-1g}, its data in WORK/node-i, its log in WORK/node-i.log.
cluster_start() {
  local nodes=$1 work=$2
  shift 2
  local root_dir
  root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local raft=() gossip=() replication=() i metadata="" seeds
  for i in $(seq 1 "$nodes"); do
    raft+=("$(free_port)")
    gossip+=("$(free_port)")
    replication+=("$(free_port)")
    node_mqtt+=("$(free_port)")
  done
  for i in $(seq 1 "$nodes"); do
    metadata+="${metadata:+,}$i@127.0.0.1:${raft[$((i - 1))]}"
  done
  seeds="127.0.0.1:${gossip[0]},127.0.0.1:${gossip[1 % nodes]}"
  for i in $(seq 1 "$nodes"); do
    java -Xms256m "-Xmx${NODE_HEAP:-1g}" --enable-native-access=ALL-UNNAMED \
      -cp "$root_dir/bench/target/lib/*" \
      io.inlet.cli.InletCli server --data-dir "$work/node-$i" --node-id "$i" \
      --metadata-nodes "$metadata" --seeds "$seeds" --gossip-port "${gossip[$((i - 1))]}" \
      --replication-port "${replication[$((i - 1))]}" \
      --gossip-timings fast --grpc-port 0 --http-port 0 --exhook-port 0 --ws-port off \
      --mqtt-port "${node_mqtt[$((i - 1))]}" --port-file "$work/node-$i.ports" "$@" \
      >"$work/node-$i.log" 2>&1 &
    node_pids+=("$!")
  done
  for i in $(seq 1 "$nodes"); do
    for _ in $(seq 1 600); do [[ -s "$work/node-$i.ports" ]] && break; sleep 0.2; done
    [[ -s "$work/node-$i.ports" ]] || {
      echo "node $i did not start:"
      tail -20 "$work/node-$i.log"
      return 1
    }
    node_grpc+=("$(grep -oE '"grpcPort":[0-9]+' "$work/node-$i.ports" | cut -d: -f2)")
  done
}

# Stops every node (SIGTERM, then waits).
cluster_stop() {
  local pid
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
