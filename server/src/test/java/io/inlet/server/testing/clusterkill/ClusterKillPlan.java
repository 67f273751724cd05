package io.inlet.server.testing.clusterkill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a cluster kill drill does: how many node processes, kill rounds and clients, and where its
 * files go.
 *
 * @param nodes node processes, every one a metadata node and a seed
 * @param rounds kill rounds: each kills one node chosen at random with SIGKILL and restarts it
 * @param replicationFactor of the drill's streams (with replication factor 1 a shard lives on its
 *     owner only)
 * @param shards of each of the two streams (one for gRPC Appends, {@code mqtt} for MQTT)
 * @param appendClientsPerNode gRPC Append clients sending through each node
 * @param mqttClientsPerNode MQTT QoS 1 publishers starting on each node
 * @param maxLoadBeforeKill load runs between 1 s and this long before each kill
 * @param down how long a killed node stays down, load running, before it is restarted
 * @param seed of the random choices (which node, when)
 * @param workDir data dirs and node logs
 * @param serverArgs extra arguments of every node start
 */
public record ClusterKillPlan(
    int nodes,
    int rounds,
    int replicationFactor,
    int shards,
    int appendClientsPerNode,
    int mqttClientsPerNode,
    Duration maxLoadBeforeKill,
    Duration down,
    long seed,
    Path workDir,
    List<String> serverArgs) {
  public ClusterKillPlan {
    if (nodes < 2) {
      throw new IllegalArgumentException(
          "a cluster kill drill needs at least 2 nodes, got " + nodes);
    }
    if (rounds < 0 || replicationFactor < 1 || shards < 1) {
      throw new IllegalArgumentException(
          "rounds >= 0, replication factor >= 1 and shards >= 1, got "
              + rounds
              + ", "
              + replicationFactor
              + ", "
              + shards);
    }
    serverArgs = List.copyOf(serverArgs);
  }
}
