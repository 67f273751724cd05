# Shared by the cluster benchmarks (sourced, not run): node processes of one cluster on this
# machine, each a metadata node with ports of its own, started from the bench's classpath.
#
#   source "$root/bench/lib/cluster.sh"
#   cluster_start 3 "$work" [extra server arguments...]
#   ... ${node_pids[i]}, ${node_grpc[i]}, ${node_mqtt[i]} (0-based) ...
#   node_kill 2; node_start 2; node_await 2 "$work"   (node 2 killed and started again)
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

# CPU ticks (user + system) of the JIT compiler threads of the given processes, summed.
jit_ticks() {
  local pid task total=0
  for pid in "$@"; do
    for task in /proc/"$pid"/task/*; do
      if grep -qE '^C[12] CompilerThre' "$task/comm" 2>/dev/null; then
        total=$((total + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0)))
      fi
    done
  done
  echo "$total"
}

# warm_until_jit_quiet MAX_SECONDS LOAD_COMMAND PIDS...: runs LOAD_COMMAND (a function or command
# taking one argument, a number of seconds, and putting load on the servers for about that long)
# in rounds of 5 s until the JIT compilers of PIDS use under 0.05 cores each over a round, or for
# MAX_SECONDS in all. A JVM that has just started spends its first minute or more compiling: on
# two cores, three such nodes measured cold run at a fraction of their warm rate. Prints what it
# did on stderr.
warm_until_jit_quiet() {
  local max=$1 load=$2
  shift 2
  local start=$SECONDS before after used limit=$((5 * $# * 100 / 20))
  while ((SECONDS - start < max)); do
    before=$(jit_ticks "$@")
    "$load" 5 >/dev/null 2>&1 || true
    after=$(jit_ticks "$@")
    used=$((after - before))
    echo "    warm-up: JIT compilers used $used ticks in a round (quiet below $limit)" >&2
    ((used < limit)) && break
  done
  echo "    warm-up: $((SECONDS - start)) s" >&2
}

# Resident memory of a process, KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

node_pids=()
node_grpc=()
node_mqtt=()
node_cmds=()
node_logs=()

# cluster_start NODES WORK [server args...]: starts the nodes and waits for their port files.
# Each node: metadata-nodes (all of them), seeds (the first two), fast gossip timings, JVM heap
# -Xms256m -Xmx${NODE_HEAP:-1g}, its data in WORK/node-i, its log in WORK/node-i.log.
cluster_start() {
  local nodes=$1 work=$2
  shift 2
  local root_dir
  root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local raft=() gossip=() replication=() grpc=() i metadata="" seeds
  for i in $(seq 1 "$nodes"); do
    grpc+=("$(free_port)")
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
    node_cmds+=("$(printf '%q ' java -Xms256m "-Xmx${NODE_HEAP:-1g}" \
      --enable-native-access=ALL-UNNAMED -cp "$root_dir/bench/target/lib/*" \
      io.inlet.cli.InletCli server --data-dir "$work/node-$i" --node-id "$i" \
      --metadata-nodes "$metadata" --seeds "$seeds" --gossip-port "${gossip[$((i - 1))]}" \
      --replication-port "${replication[$((i - 1))]}" \
      --gossip-timings fast --grpc-port "${grpc[$((i - 1))]}" --http-port 0 --exhook-port 0 \
      --ws-port off --mqtt-port "${node_mqtt[$((i - 1))]}" --port-file "$work/node-$i.ports" \
      "$@")")
    node_logs+=("$work/node-$i.log")
    node_pids+=("")
    node_grpc+=("${grpc[$((i - 1))]}")
    node_start "$i"
  done
  for i in $(seq 1 "$nodes"); do node_await "$i" "$work" || return 1; done
}

# node_start I: starts node I (1-based) as cluster_start did, with the same data dir and ports.
node_start() {
  local i=$1
  rm -f "$(dirname "${node_logs[$((i - 1))]}")/node-$i.ports"
  eval "exec ${node_cmds[$((i - 1))]}" >>"${node_logs[$((i - 1))]}" 2>&1 &
  node_pids[$((i - 1))]=$!
}

# node_await I WORK: waits until node I has written its port file.
node_await() {
  local i=$1 work=$2
  for _ in $(seq 1 600); do [[ -s "$work/node-$i.ports" ]] && return 0; sleep 0.2; done
  echo "node $i did not start:"
  tail -20 "$work/node-$i.log"
  return 1
}

# node_kill I: SIGKILL of node I, waited for.
node_kill() {
  local i=$1
  kill -9 "${node_pids[$((i - 1))]}" 2>/dev/null || true
  wait "${node_pids[$((i - 1))]}" 2>/dev/null || true
}

# Stops every node (SIGTERM, then waits).
cluster_stop() {
  local pid
  for pid in "${node_pids[@]}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; done
  for pid in "${node_pids[@]}"; do [[ -n "$pid" ]] && { wait "$pid" 2>/dev/null || true; }; done
  return 0
}
