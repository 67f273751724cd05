package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.LookupSubscriptionRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.Stream;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.IdRecords;
import io.inlet.server.testing.TestServers;
import io.inlet.testing.Await;
import io.inlet.testing.HistoryChecker;
import io.inlet.testing.RequiredServices;
import io.inlet.testing.SmallTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard's leader whose replica disk fills (each node's {@code data-dir/replicas} on a small tmpfs
 * of its own, in three nodes of one JVM) hands the shard to another replica, which takes appends on
 * the two that still write; once space is freed the node writes again and catches up, and every
 * acknowledged record is read back once and in order through every node. Meanwhile every node, the
 * full one included, lists it Unavailable. Mounting needs root; elsewhere the test is skipped, or
 * fails in CI ({@link RequiredServices}).
 */
class ReplicaDiskFullIT {
  private static final String STREAM = "meters";
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final int RECORD_BYTES = 64 << 10;

  @RegisterExtension final SmallTmpfs disk1 = SmallTmpfs.ofMegabytes(64);
  @RegisterExtension final SmallTmpfs disk2 = SmallTmpfs.ofMegabytes(64);
  @RegisterExtension final SmallTmpfs disk3 = SmallTmpfs.ofMegabytes(64);
  @TempDir Path dir;

  private final List<HistoryChecker.Event> history = new ArrayList<>();
  private int sequence;

  @Test
  void a_leader_whose_replica_disk_fills_hands_its_shard_over_and_catches_up_once_freed()
      throws Exception {
    List<SmallTmpfs> disks = List.of(disk1, disk2, disk3);
    try (LocalCluster cluster = LocalCluster.start(dir, 3, Map.of())) {
      // Each node's replicas move to a tmpfs of their own (none is held yet): a node creates its
      // store only in an empty directory, so each is restarted with the link in place.
      for (int id = 1; id <= 3; id++) {
        cluster.stop(id);
        Path replicas = dir.resolve("node-" + id).resolve("replicas");
        deleteTree(replicas);
        Files.createSymbolicLink(replicas, disks.get(id - 1).path());
        cluster.join(id);
      }
      cluster
          .client(1)
          .stub()
          .createStream(
              Stream.newBuilder()
                  .setStreamName(STREAM)
                  .setShardCount(1)
                  .setReplicationFactor(3)
                  .build());
      long shard = cluster.client(1).shardIds(STREAM).get(0);
      for (int i = 0; i < 5; i++) {
        appendRetrying(cluster.client(1), shard);
      }
      int leader = cluster.owners(STREAM).get(shard);
      Path filler = disks.get(leader - 1).fillAllBut(2 << 20);

      // Appends through the leader's node fail once its disk is full ...
      Await.until(
          "an append through the leader's node fails",
          LONG,
          () -> !tryAppend(cluster.client(leader), shard));
      Await.until(
          "the leader's node is not ready",
          LONG,
          () -> TestServers.ready(cluster.server(leader)) == 503);
      assertThat(TestServers.httpGet(cluster.server(leader), "/ready").body())
          .contains("replica store refuses writes")
          .contains("disk is full");
      // ... it gossips itself Unavailable, so that the others place nothing on it ...
      for (int node = 1; node <= 3; node++) {
        int n = node;
        Await.until(
            "node " + n + " lists node " + leader + " Unavailable",
            LONG,
            () -> LocalCluster.states(cluster.client(n)).get(leader) == NodeState.Unavailable);
      }
      // ... and places no new subscription on itself, as the others place none on it.
      for (int i = 0; i < 12; i++) {
        String subscription = "sub-" + i;
        cluster.client(1).subscribe(subscription, STREAM, 60, 100);
        for (int node = 1; node <= 3; node++) {
          assertThat(lookupSubscription(cluster.client(node), subscription))
              .as("the owner node %d names for %s", node, subscription)
              .isNotEqualTo(leader);
        }
      }
      // ... and another replica takes the shard over and takes appends, through any node.
      Await.until(
          "another node leads the shard",
          LONG,
          () -> {
            try {
              return cluster.owners(STREAM).get(shard) != leader;
            } catch (StatusRuntimeException noLeaderYet) {
              return false;
            }
          });
      for (int node = 1; node <= 3; node++) {
        for (int i = 0; i < 5; i++) {
          appendRetrying(cluster.client(node), shard);
        }
      }

      Files.delete(filler);
      Await.until(
          "the old leader's node is ready again",
          LONG,
          () -> TestServers.ready(cluster.server(leader)) == 200);
      for (int node = 1; node <= 3; node++) {
        int n = node;
        Await.until(
            "node " + n + " lists node " + leader + " Running again",
            LONG,
            () -> LocalCluster.states(cluster.client(n)).get(leader) == NodeState.Running);
      }
      appendRetrying(cluster.client(leader), shard);
      List<String> expected = IdRecords.ids(cluster.client(1), shard);
      assertThat(HistoryChecker.violations(history, expected)).isEmpty();
      for (int node = 1; node <= 3; node++) {
        int n = node;
        Await.until(
            "node " + n + " serves every record",
            LONG,
            () -> IdRecords.ids(cluster.client(n), shard).equals(expected));
      }
    }
  }

  private static int lookupSubscription(GrpcClient client, String subscription) {
    return client
        .stub()
        .lookupSubscription(
            LookupSubscriptionRequest.newBuilder().setSubscriptionId(subscription).build())
        .getServerNode()
        .getId();
  }

  /** One append of a {@value #RECORD_BYTES}-byte record; true when acknowledged. */
  private boolean tryAppend(GrpcClient client, long shard) {
    String id = "r-" + sequence++;
    history.add(HistoryChecker.Event.invoked(id));
    try {
      client.append(STREAM, shard, GrpcClient.batch(List.of(IdRecords.record(id, RECORD_BYTES))));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
        throw e;
      }
      return false;
    }
    history.add(HistoryChecker.Event.acked(id));
    return true;
  }

  /** Appends, trying again (a new record each time) while the shard answers UNAVAILABLE. */
  private void appendRetrying(GrpcClient client, long shard) {
    Await.until("an append is acknowledged", LONG, () -> tryAppend(client, shard));
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
