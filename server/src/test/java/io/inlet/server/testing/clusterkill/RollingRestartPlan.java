package io.inlet.server.testing.clusterkill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a rolling restart drill does.
 *
 * @param nodes node processes, every one a metadata node and a seed; each is restarted once, in
 *     turn
 * @param replicationFactor of the drill's streams
 * @param shards of each of the two streams (one for gRPC Appends, {@code mqtt} for MQTT)
 * @param appendClientsPerNode gRPC Append clients sending through each node
 * @param mqttClientsPerNode MQTT QoS 1 publishers starting on each node
 * @param loadBetween how long the load runs before each restart
 * @param bound the liveness bound: every shard must take appends through the running nodes within
 *     this long of a node's exit (after SIGTERM), and through the restarted node within this long
 *     of its {@code /ready}
 * @param workDir data dirs and node logs
 * @param serverArgs extra arguments of every node start
 */
public record RollingRestartPlan(
    int nodes,
    int replicationFactor,
    int shards,
    int appendClientsPerNode,
    int mqttClientsPerNode,
    Duration loadBetween,
    Duration bound,
    Path workDir,
    List<String> serverArgs) {
  public RollingRestartPlan {
    if (nodes < 2 || replicationFactor < 1 || shards < 1) {
      throw new IllegalArgumentException(
          "nodes >= 2, replication factor >= 1 and shards >= 1, got "
              + nodes
              + ", "
              + replicationFactor
              + ", "
              + shards);
    }
    serverArgs = List.copyOf(serverArgs);
  }
}
