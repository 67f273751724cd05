package io.inlet.server.cluster;

import com.google.protobuf.Empty;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Nodes of one cluster in this JVM, for tests: each a metadata node and a seed-joined member on
 * loopback with ephemeral gRPC ports ({@code metadata-nodes}, {@code seeds}, fast gossip), started
 * and awaited until the metadata has a leader and every node lists every other as running. Node
 * {@code id} is {@code server(id)} and {@code client(id)}; some may join later ({@link #join});
 * closing closes them all.
 */
final class LocalCluster implements AutoCloseable {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  /** Node {@code id} at index {@code id - 1}; null until it is started. */
  private final List<InletServer> servers = new ArrayList<>();

  private final List<GrpcClient> clients = new ArrayList<>();
  private final List<Map<String, String>> settings = new ArrayList<>();
  private final Path dir;

  private LocalCluster(Path dir) {
    this.dir = dir;
  }

  /** {@code size} nodes with their data under {@code dir}, each also given {@code settings}. */
  static LocalCluster start(Path dir, int size, Map<String, String> settings) {
    return start(dir, size, size, settings);
  }

  /**
   * A cluster of {@code size} nodes (all of them metadata nodes) of which the first {@code started}
   * are started and awaited now; {@link #join} starts the others later.
   */
  static LocalCluster start(Path dir, int size, int started, Map<String, String> settings) {
    return start(dir, size, started, size, settings);
  }

  /**
   * A cluster of {@code size} nodes, the first {@code voters} of them metadata nodes, of which the
   * first {@code started} are started and awaited now; {@link #join} starts the others later.
   */
  static LocalCluster start(
      Path dir, int size, int started, int voters, Map<String, String> settings) {
    LocalCluster cluster = new LocalCluster(dir);
    try {
      List<String> raft = new ArrayList<>();
      List<Integer> gossip = new ArrayList<>();
      for (int id = 1; id <= size; id++) {
        if (id <= voters) {
          raft.add(id + "@127.0.0.1:" + FreePorts.one());
        }
        gossip.add(FreePorts.one());
      }
      String seeds = "127.0.0.1:" + gossip.get(0) + ",127.0.0.1:" + gossip.get(1 % size);
      for (int id = 1; id <= size; id++) {
        Map<String, String> node = new HashMap<>(settings);
        node.put("node-id", Integer.toString(id));
        node.put("metadata-nodes", String.join(",", raft));
        node.put("seeds", seeds);
        node.put("gossip-port", Integer.toString(gossip.get(id - 1)));
        node.put("gossip-timings", "fast");
        cluster.settings.add(node);
        cluster.servers.add(null);
        cluster.clients.add(null);
      }
      for (int id = 1; id <= started; id++) {
        cluster.startNode(id);
      }
      cluster.awaitConverged();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts node {@code id}, not started before, and waits until every node lists it running. */
  void join(int id) {
    startNode(id);
    awaitConverged();
  }

  private void startNode(int id) {
    InletServer server =
        InletServer.start(ServerConfig.forTests(dir.resolve("node-" + id), settings.get(id - 1)));
    servers.set(id - 1, server);
    clients.set(id - 1, new GrpcClient(server.grpcPort()));
  }

  private List<InletServer> started() {
    return servers.stream().filter(s -> s != null).toList();
  }

  private void awaitConverged() {
    Await.until(
        "the metadata nodes elect a leader",
        CONVERGE,
        () ->
            started().stream()
                .allMatch(s -> s.replicatedMetadata().orElseThrow().leaderId().isPresent()));
    int running = started().size();
    for (GrpcClient client : clients) {
      if (client == null) {
        continue;
      }
      Await.until(
          () -> "every node lists every started node running: " + states(client),
          CONVERGE,
          () ->
              states(client).values().stream().filter(s -> s == NodeState.Running).count()
                  == running);
    }
  }

  /** Closes node {@code id} for good (its client too). */
  void stop(int id) {
    try {
      clients.get(id - 1).close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    servers.get(id - 1).close();
  }

  InletServer server(int id) {
    return servers.get(id - 1);
  }

  GrpcClient client(int id) {
    return clients.get(id - 1);
  }

  /** The owner node of each shard of {@code stream}, as node 1's LookupShard names it. */
  Map<Long, Integer> owners(String stream) {
    Map<Long, Integer> owners = new HashMap<>();
    for (long shard : client(1).shardIds(stream)) {
      owners.put(
          shard,
          client(1)
              .stub()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
              .getServerNode()
              .getId());
    }
    return owners;
  }

  /** Every member {@code client}'s node knows, with its state. */
  static Map<Integer, NodeState> states(GrpcClient client) {
    return client
        .stub()
        .describeCluster(Empty.getDefaultInstance())
        .getServerNodesStatusList()
        .stream()
        .collect(Collectors.toMap(s -> s.getNode().getId(), ServerNodeStatus::getState));
  }

  @Override
  public void close() {
    for (GrpcClient client : clients) {
      if (client == null) {
        continue;
      }
      try {
        client.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (InletServer server : started()) {
      server.close();
    }
  }
}
