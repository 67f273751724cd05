package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import io.inlet.testing.HistoryChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicated shards served by the node: three nodes in one JVM with {@code metadata-nodes}, seeds
 * and ephemeral ports on loopback, driven by real gRPC clients. A stream with replication factor 3
 * keeps each shard on all three nodes; its leader takes appends (through any node) and acknowledges
 * them once a majority has them fsync'd; when the leader's node closes, another replica leads and
 * appends through the survivors succeed again; every acknowledged record is read back exactly once,
 * in order, also from the old leader once it is back and caught up. With one node of three up, an
 * append is never acknowledged.
 */
class ClusterReplicationIT {
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final String STREAM = "meters";

  @TempDir Path dir;
  private final List<Map<String, String>> settings = new ArrayList<>();
  private final List<InletServer> servers = new ArrayList<>();
  private final List<GrpcClient> clients = new ArrayList<>();
  private final List<HistoryChecker.Event> history = new ArrayList<>();
  private final Map<Integer, Integer> sequence = new HashMap<>();

  @BeforeEach
  void startThreeNodes() throws Exception {
    int[] raft = {FreePorts.one(), FreePorts.one(), FreePorts.one()};
    int[] gossip = {FreePorts.one(), FreePorts.one(), FreePorts.one()};
    int[] replication = {FreePorts.one(), FreePorts.one(), FreePorts.one()};
    String metadataNodes =
        "1@127.0.0.1:" + raft[0] + ",2@127.0.0.1:" + raft[1] + ",3@127.0.0.1:" + raft[2];
    String seeds = "127.0.0.1:" + gossip[0] + ",127.0.0.1:" + gossip[1];
    for (int id = 1; id <= 3; id++) {
      Map<String, String> node = new HashMap<>();
      node.put("node-id", Integer.toString(id));
      node.put("metadata-nodes", metadataNodes);
      node.put("seeds", seeds);
      node.put("gossip-port", Integer.toString(gossip[id - 1]));
      node.put("gossip-timings", "fast");
      // Fixed, so that a node restarted in the test is found where the leader streams to it.
      node.put("replication-port", Integer.toString(replication[id - 1]));
      settings.add(node);
      servers.add(null);
      clients.add(null);
      start(id);
    }
    Await.until(
        "the metadata nodes elect a leader",
        CONVERGE,
        () ->
            servers.stream()
                .allMatch(s -> s.replicatedMetadata().orElseThrow().leaderId().isPresent()));
    for (GrpcClient client : clients) {
      Await.until(
          () -> "every node lists 3 running nodes: " + states(client),
          CONVERGE,
          () -> states(client).values().stream().filter(s -> s == NodeState.Running).count() == 3);
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (GrpcClient client : clients) {
      if (client != null) {
        client.close();
      }
    }
    for (InletServer server : servers) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void acknowledged_records_survive_the_leaders_node_and_are_read_back_once_in_order() {
    long shard = createStream(STREAM, 3);
    int leader = awaitLeaderOnEveryRunningNode(shard, Set.of());

    // Appends through every node land, in order.
    for (int round = 0; round < 5; round++) {
      for (int node = 1; node <= 3; node++) {
        appendThrough(node, shard);
      }
    }
    assertThat(violations(readThrough(leader, shard))).isEmpty();
    assertThat(readThrough(leader, shard)).hasSize(15);

    printAppendLatency(shard, leader);

    // The leader's node goes; another replica leads, and appends through the survivors succeed.
    stop(leader);
    int newLeader = awaitLeaderOnEveryRunningNode(shard, Set.of(leader));
    assertThat(newLeader).isNotEqualTo(leader);
    List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
    survivors.remove(Integer.valueOf(leader));
    for (int round = 0; round < 5; round++) {
      for (int node : survivors) {
        appendThroughRetrying(node, shard);
      }
    }
    List<String> onNewLeader = readThrough(newLeader, shard);
    assertThat(violations(onNewLeader)).as("read through node %d", newLeader).isEmpty();
    assertThat(onNewLeader).hasSizeGreaterThanOrEqualTo(25);

    // The old leader comes back, catches up, and serves the same records from its replica.
    start(leader);
    List<String> expected = readThrough(newLeader, shard);
    Await.until(
        "node " + leader + " is back and holds the " + expected.size() + " records",
        CONVERGE,
        () -> {
          try {
            return readThrough(leader, shard).equals(expected);
          } catch (StatusRuntimeException e) {
            return false; // still catching up on the metadata: UNAVAILABLE
          }
        });
    assertThat(violations(readThrough(leader, shard))).isEmpty();
    // And the shard keeps taking appends through every node.
    for (int node = 1; node <= 3; node++) {
      appendThroughRetrying(node, shard);
    }
    assertThat(violations(readThrough(newLeader, shard))).isEmpty();
  }

  @Test
  void every_node_reads_every_acknowledged_record_of_a_shard_with_two_replicas() {
    long shard = createStream(STREAM, 2);
    awaitLeaderOnEveryRunningNode(shard, Set.of());
    for (int node = 1; node <= 3; node++) {
      appendThrough(node, shard);
    }
    // The leader and the follower read their own copies (the follower learns that the last
    // append is committed without a further append); the third node reads through the leader.
    List<String> acked = List.of("n1-1", "n2-1", "n3-1");
    for (int node = 1; node <= 3; node++) {
      int reader = node;
      Await.until(
          () -> "node " + reader + " reads " + acked + ": " + readThrough(reader, shard),
          CONVERGE,
          () -> readThrough(reader, shard).equals(acked));
    }
  }

  @Test
  void with_one_node_of_three_up_an_append_is_never_acknowledged() {
    long shard = createStream(STREAM, 3);
    int leader = awaitLeaderOnEveryRunningNode(shard, Set.of());
    appendThrough(leader, shard);

    for (int node = 1; node <= 3; node++) {
      if (node != leader) {
        stop(node);
      }
    }
    GrpcClient alone = clients.get(leader - 1);
    for (int attempt = 0; attempt < 3; attempt++) {
      Throwable failed =
          catchThrowable(
              () ->
                  alone
                      .stub()
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .append(
                          io.inlet.api.hstream.AppendRequest.newBuilder()
                              .setStreamName(STREAM)
                              .setShardId(shard)
                              .setRecords(GrpcClient.batch(GrpcClient.rawRecords("k", "alone-", 1)))
                              .build()));
      assertThat(failed).as("append %d with one node of three up", attempt).isNotNull();
      assertThat(Status.fromThrowable(failed).getCode())
          .isIn(Status.Code.DEADLINE_EXCEEDED, Status.Code.UNAVAILABLE);
    }
  }

  // --- helpers ---

  private long createStream(String name, int replicationFactor) {
    clients
        .get(0)
        .stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setShardCount(1)
                .setReplicationFactor(replicationFactor)
                .build());
    return clients.get(0).shardIds(name).get(0);
  }

  /** Waits until every running node (but {@code down}) names the same running leader. */
  private int awaitLeaderOnEveryRunningNode(long shard, Set<Integer> down) {
    Map<Integer, Integer> answers = new HashMap<>();
    Await.until(
        () -> "every running node names one leader of shard " + shard + ": " + answers,
        CONVERGE,
        () -> {
          answers.clear();
          for (int node = 1; node <= 3; node++) {
            if (down.contains(node) || servers.get(node - 1) == null) {
              continue;
            }
            try {
              answers.put(
                  node,
                  clients
                      .get(node - 1)
                      .stub()
                      .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build())
                      .getServerNode()
                      .getId());
            } catch (StatusRuntimeException e) {
              answers.put(node, -1);
            }
          }
          Set<Integer> named = new HashSet<>(answers.values());
          return named.size() == 1
              && !named.contains(-1)
              && !down.contains(named.iterator().next());
        });
    return answers.values().iterator().next();
  }

  /** One single-record append through {@code node}, which must be acknowledged. */
  private void appendThrough(int node, long shard) {
    String id = nextId(node);
    history.add(HistoryChecker.Event.invoked(id));
    clients
        .get(node - 1)
        .append(STREAM, shard, GrpcClient.batch(GrpcClient.rawRecords("k", id, 1)));
    history.add(HistoryChecker.Event.acked(id));
  }

  /** As {@link #appendThrough}, sending again (a new id) while the shard answers UNAVAILABLE. */
  private void appendThroughRetrying(int node, long shard) {
    Await.until(
        "an append through node " + node + " is acknowledged",
        CONVERGE,
        () -> {
          String id = nextId(node);
          history.add(HistoryChecker.Event.invoked(id));
          try {
            clients
                .get(node - 1)
                .append(STREAM, shard, GrpcClient.batch(GrpcClient.rawRecords("k", id, 1)));
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
              throw e;
            }
            return false;
          }
          history.add(HistoryChecker.Event.acked(id));
          return true;
        });
  }

  /** Ids are {@code n<node>-<seq>}: one producer per node, as the history checker reads them. */
  private String nextId(int node) {
    int seq = sequence.merge(node, 1, Integer::sum);
    return "n" + node + "-" + seq;
  }

  private List<String> violations(List<String> log) {
    return HistoryChecker.violations(history, log);
  }

  /** The shard's records as {@code node} serves them from its own replica, in LSN order. */
  private List<String> readThrough(int node, long shard) {
    // rawRecords appends the record's index to the prefix: strip the single record's "0".
    return StreamContents.received(clients.get(node - 1), shard).stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .map(payload -> payload.substring(0, payload.length() - 1))
        .filter(id -> id.startsWith("n"))
        .toList();
  }

  private void start(int id) {
    InletServer server =
        InletServer.start(ServerConfig.forTests(dir.resolve("node-" + id), settings.get(id - 1)));
    servers.set(id - 1, server);
    clients.set(id - 1, new GrpcClient(server.grpcPort()));
  }

  private void stop(int id) {
    try {
      clients.get(id - 1).close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    servers.get(id - 1).close();
    servers.set(id - 1, null);
    clients.set(id - 1, null);
  }

  /**
   * Not asserted: single-record append latency to the leader of a replicated shard (replication
   * factor 3) and to the owner of a shard with replication factor 1, interleaved.
   */
  private void printAppendLatency(long replicatedShard, int leader) {
    long plainShard = createStream("plain", 1);
    int owner = awaitLeaderOnEveryRunningNode(plainShard, Set.of());
    int rounds = 200;
    long[] replicated = new long[rounds];
    long[] plain = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      clients.get(owner - 1).append("plain", plainShard, "p", 1);
      plain[i] = System.nanoTime() - start;
      start = System.nanoTime();
      appendThrough(leader, replicatedShard);
      replicated[i] = System.nanoTime() - start;
    }
    System.out.printf(
        "append latency, %d single-record appends each (interleaved; leader node %d): replication factor"
            + " 3 (to the leader) p50 %.2f ms p99 %.2f ms; replication factor 1 (to the owner, node"
            + " %d) p50 %.2f ms p99 %.2f ms%n",
        rounds,
        leader,
        percentile(replicated, 50),
        percentile(replicated, 99),
        owner,
        percentile(plain, 50),
        percentile(plain, 99));
  }

  private static double percentile(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }

  private static Map<Integer, NodeState> states(GrpcClient client) {
    return client
        .stub()
        .describeCluster(Empty.getDefaultInstance())
        .getServerNodesStatusList()
        .stream()
        .collect(Collectors.toMap(s -> s.getNode().getId(), ServerNodeStatus::getState));
  }
}
