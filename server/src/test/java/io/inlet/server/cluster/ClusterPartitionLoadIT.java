package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.Stream;
import io.inlet.server.cluster.PartitionLoad.Answer;
import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.clusterkill.FinalReads;
import io.inlet.server.testing.clusterkill.ShardOwners;
import io.inlet.testing.Await;
import io.inlet.testing.NetworkLab;
import io.inlet.testing.history.AppendAttempt;
import io.inlet.testing.history.HistoryChecker;
import io.inlet.testing.history.HistoryVerdict;
import io.inlet.testing.history.OperationHistory;
import io.inlet.testing.history.StoredRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions under load: three node processes in network namespaces ({@link NetworkLab}), every one
 * a metadata node and a seed, a stream with replication factor 3, and gRPC Append clients on the
 * host that reach every node throughout ({@link PartitionLoad}: clients bound to one node, one that
 * follows LookupShard, and an MQTT 5 QoS 1 publisher on each node). A node is cut off from the two
 * others (the host still reaches it), first one that leads no shard, then the leader of a shard.
 * While it is cut off, no append sent through it is acknowledged, and the two others acknowledge
 * appends to every shard again; once it is back, it takes appends again. At the end every node
 * reads every shard, and each read holds every acknowledged record exactly once, in order ({@link
 * HistoryChecker}).
 */
class ClusterPartitionLoadIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final String STREAM = "partition";
  private static final int NODES = 3;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<Integer, InletProcess> nodes = new LinkedHashMap<>();
  private final Map<Integer, ManagedChannel> channels = new LinkedHashMap<>();
  private final OperationHistory history = new OperationHistory();
  private NetworkLab lab;
  private PartitionLoad load;

  @AfterEach
  void closeAll() throws Exception {
    if (load != null) {
      load.stop();
    }
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void a_node_cut_off_acknowledges_nothing_while_the_majority_goes_on_and_nothing_is_lost()
      throws Exception {
    lab = NetworkLab.create(NODES);
    open.add(lab);
    startNodes();
    createStream(STREAM, 2);
    createStream(PartitionLoad.MQTT_STREAM, 1);
    List<Long> shards = ShardOwners.shardIds(channels.get(1), STREAM);
    List<Long> allShards = new ArrayList<>(shards);
    allShards.addAll(ShardOwners.shardIds(channels.get(1), PartitionLoad.MQTT_STREAM));
    // What a client watches: each shard of the Append stream, and the MQTT publishes.
    List<Long> watched = new ArrayList<>(shards);
    watched.add(PartitionLoad.MQTT_SHARD);
    load = new PartitionLoad(history, STREAM, shards, channels);
    load.start(2);
    Map<Integer, InetSocketAddress> listeners = new LinkedHashMap<>();
    nodes.forEach((n, p) -> listeners.put(n, new InetSocketAddress(lab.address(n), p.mqttPort())));
    load.startMqtt(listeners);
    awaitAcknowledged("every shard takes appends at the start", 0, List.of(1, 2, 3), watched);

    Map<Long, Integer> leaders = leaders(allShards);
    int follower =
        channels.keySet().stream()
            .min(Comparator.comparingLong(n -> leaders.values().stream().filter(n::equals).count()))
            .orElseThrow();
    long led = leaders.values().stream().filter(l -> l == follower).count();
    cutOff(follower, "leading " + led + " of " + allShards.size() + " shards", watched);
    long shard = shards.get(0);
    int leader = leaders(allShards).get(shard);
    cutOff(leader, "the leader of shard " + shard, watched);

    load.stop();
    load = null;
    List<AppendAttempt> attempts = history.attempts();
    Map<Integer, Map<Long, List<StoredRecord>>> readsByNode = awaitSameReads(allShards, attempts);
    HistoryVerdict verdict = HistoryChecker.check(attempts, readsByNode.get(1));
    System.out.printf(
        "partition drill: %d attempts, %d records acknowledged (%d by MQTT), %d unknown, %d"
            + " stored%n",
        verdict.attempts(),
        verdict.acknowledged(),
        attempts.stream()
            .filter(a -> a.acknowledged() && a.stream().equals(PartitionLoad.MQTT_STREAM))
            .count(),
        verdict.unknown(),
        verdict.stored());
    assertThat(verdict.acknowledged()).isPositive();
    for (int node : readsByNode.keySet()) {
      assertThat(readsByNode.get(node))
          .as("node %d reads what node 1 reads", node)
          .isEqualTo(readsByNode.get(1));
    }
  }

  /**
   * Cuts {@code node} off under load, checks both sides, and brings it back; returns once it is
   * ready and takes appends again.
   */
  private void cutOff(int node, String role, List<Long> shards) throws Exception {
    List<Integer> majority = channels.keySet().stream().filter(n -> n != node).toList();
    lab.partition(node);
    long cut = System.nanoTime();
    System.out.printf("partition drill: node %d (%s) cut off from the others%n", node, role);

    awaitAcknowledged("the majority acknowledges every shard again", cut, majority, shards);
    System.out.printf(
        "partition drill: the majority acknowledged every shard %d ms after the cut%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut));
    // Let appends through the cut-off node run out their deadline, so the check below has some.
    Await.until(
        () -> "three appends through node " + node + " answered since the cut",
        CONVERGE,
        () -> sentThrough(node, cut, Long.MAX_VALUE).size() >= 3);

    long rejoin = System.nanoTime();
    lab.rejoin(node);
    List<Answer> minority = sentThrough(node, cut, rejoin);
    System.out.printf(
        "partition drill: %d appends through node %d answered while it was cut off%n",
        minority.size(), node);
    assertThat(minority)
        .as("appends through node %d (%s) answered while it was cut off", node, role)
        .isNotEmpty()
        .noneMatch(Answer::acknowledged);

    awaitReady(node);
    for (int each : channels.keySet()) {
      Await.until(
          () -> "node " + each + " lists all three nodes Running",
          CONVERGE,
          () -> running(each) == NODES);
    }
    awaitAcknowledged("node " + node + " takes appends again", rejoin, List.of(node), shards);
  }

  /**
   * Answers to appends sent through {@code node} after {@code sentAfter}, before {@code before}.
   */
  private List<Answer> sentThrough(int node, long sentAfter, long answeredBefore) {
    return load.answers().stream()
        .filter(a -> a.node() == node)
        .filter(a -> a.sentNanos() > sentAfter && a.answeredNanos() < answeredBefore)
        .toList();
  }

  /**
   * Waits until an append sent after {@code since} through one of {@code through} is acknowledged
   * on each shard.
   */
  private void awaitAcknowledged(
      String what, long since, List<Integer> through, List<Long> shards) {
    Await.until(
        () -> what,
        CONVERGE,
        () ->
            shards.stream()
                .allMatch(
                    shard ->
                        load.answers().stream()
                            .anyMatch(
                                a ->
                                    a.acknowledged()
                                        && a.shard() == shard
                                        && a.sentNanos() > since
                                        && through.contains(a.node()))));
  }

  /**
   * Every node's reads of every shard once each holds every acknowledged record and all three
   * agree: an append never answered (through a node cut off, say) may still be committed, and a
   * follower learns of the last commits a moment after the leader. After {@code CONVERGE}, the last
   * reads as they are, for the assertions to show where they differ.
   */
  private Map<Integer, Map<Long, List<StoredRecord>>> awaitSameReads(
      List<Long> shards, List<AppendAttempt> attempts) throws InterruptedException {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (true) {
      Map<Integer, Map<Long, List<StoredRecord>>> readsByNode = new LinkedHashMap<>();
      for (int node : channels.keySet()) {
        readsByNode.put(node, awaitCompleteReads(node, shards, attempts));
      }
      if (readsByNode.values().stream().distinct().count() == 1 || System.nanoTime() > deadline) {
        return readsByNode;
      }
      Thread.sleep(500); // followers catching up on the last commits; polled with a deadline
    }
  }

  /**
   * Reads every shard on {@code node} until the reads hold every acknowledged record (a follower
   * may be a moment behind the leader's commits), then checks them.
   */
  private Map<Long, List<StoredRecord>> awaitCompleteReads(
      int node, List<Long> shards, List<AppendAttempt> attempts) throws InterruptedException {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (true) {
      Map<Long, List<StoredRecord>> reads = new LinkedHashMap<>();
      for (long shard : shards) {
        reads.put(shard, FinalReads.readRetrying(channels.get(node), shard));
      }
      HistoryVerdict verdict = HistoryChecker.check(attempts, reads);
      if (verdict.clean() || System.nanoTime() > deadline) {
        assertThat(verdict.findings()).as("the history checker on node %d's reads", node).isEmpty();
        assertThat(verdict.clean()).isTrue();
        return reads;
      }
      Thread.sleep(500); // a follower catching up on the committed LSN; polled with a deadline
    }
  }

  private void createStream(String name, int shards) {
    HStreamApiGrpc.newBlockingStub(channels.get(1))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setShardCount(shards)
                .setReplicationFactor(3)
                .build());
  }

  private Map<Long, Integer> leaders(List<Long> shards) {
    Map<Long, Integer> leaders = new LinkedHashMap<>();
    for (long shard : shards) {
      leaders.put(shard, ShardOwners.owner(channels.get(1), shard).getId());
    }
    return leaders;
  }

  private void startNodes() throws Exception {
    String seeds = "";
    String metadata = "";
    for (int node = 1; node <= NODES; node++) {
      seeds += (node > 1 ? "," : "") + lab.address(node) + ":6571";
      metadata += (node > 1 ? "," : "") + node + "@" + lab.address(node) + ":6572";
    }
    for (int node = 1; node <= NODES; node++) {
      InletProcess process =
          InletProcess.startIn(
              lab,
              node,
              dir.resolve("work-" + node),
              dir.resolve("data-" + node),
              "--node-id",
              Integer.toString(node),
              "--grpc-port",
              "6570",
              "--gossip-port",
              "6571",
              "--replication-port",
              "6573",
              "--seeds",
              seeds,
              "--metadata-nodes",
              metadata,
              "--gossip-timings",
              "fast",
              "--allow-anonymous",
              "true");
      open.add(process);
      nodes.put(node, process);
      channels.put(
          node,
          NettyChannelBuilder.forAddress(lab.address(node), 6570)
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build());
    }
    for (int node = 1; node <= NODES; node++) {
      nodes.get(node).awaitReady(START);
      awaitReady(node);
    }
    for (int node = 1; node <= NODES; node++) {
      int each = node;
      Await.until(
          () -> "node " + each + " lists all three nodes Running",
          CONVERGE,
          () -> running(each) == NODES);
    }
  }

  /** Waits until the node's {@code /ready} answers 200: it has joined and caught up. */
  private void awaitReady(int node) {
    Await.until(() -> "node " + node + " is ready", START, () -> ready(node));
  }

  private boolean ready(int node) {
    URI uri =
        URI.create("http://" + lab.address(node) + ":" + nodes.get(node).httpPort() + "/ready");
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long running(int node) {
    try {
      return HStreamApiGrpc.newBlockingStub(channels.get(node))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .describeCluster(Empty.getDefaultInstance())
          .getServerNodesStatusList()
          .stream()
          .filter(s -> s.getState() == NodeState.Running)
          .count();
    } catch (StatusRuntimeException unreachable) {
      return 0;
    }
  }
}
