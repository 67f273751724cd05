package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.LookupSubscriptionRequest;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.AckingConsumer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads through any node, replication factor 1: three nodes in one JVM; records appended to every
 * shard are read back through every node (ReadShardStream), by a subscription created and consumed
 * on a node that owns only some of the shards (and it keeps receiving new records), and by a shard
 * reader on a node that does not own its shard. A shard whose owner is down answers UNAVAILABLE
 * naming the owner. Before reads were served by the owner, each node saw only its own shards.
 */
class ClusterReadsIT {
  @TempDir Path dir;
  private LocalCluster cluster;

  @BeforeEach
  void start() {
    cluster = LocalCluster.start(dir, 3, Map.of());
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void every_node_reads_every_shard_for_reads_readers_and_subscriptions() {
    GrpcClient first = cluster.client(1);
    first.createStream("wide", 6);
    Map<Long, Integer> owners = cluster.owners("wide");
    assertThat(new HashSet<>(owners.values())).as("owners %s", owners).hasSizeGreaterThan(1);
    List<String> all = new ArrayList<>();
    for (long shard : owners.keySet()) {
      first.append("wide", shard, "s" + shard + "-", 3);
      for (int i = 0; i < 3; i++) {
        all.add("s" + shard + "-" + i);
      }
    }

    // Every node reads every shard, in order.
    for (int node = 1; node <= 3; node++) {
      for (long shard : owners.keySet()) {
        assertThat(payloads(StreamContents.received(cluster.client(node), shard)))
            .as("shard %d (owner %d) read through node %d", shard, owners.get(shard), node)
            .containsExactly("s" + shard + "-0", "s" + shard + "-1", "s" + shard + "-2");
      }
    }

    // A subscription created on node 2 delivers, on the node that owns it, every shard's records
    // (most held by other nodes), then new ones as they come.
    GrpcClient second = cluster.client(2);
    second.subscribe("wide-sub", "wide", 60, 10_000);
    int subscriptionOwner =
        second
            .stub()
            .lookupSubscription(
                LookupSubscriptionRequest.newBuilder().setSubscriptionId("wide-sub").build())
            .getServerNode()
            .getId();
    AckingConsumer consumer =
        new AckingConsumer(cluster.client(subscriptionOwner), "wide-sub", "c1");
    Await.until(
        () -> "the consumer receives every record: " + consumer.payloads(),
        LocalCluster.CONVERGE,
        () -> consumer.payloads().containsAll(all));
    for (long shard : owners.keySet()) {
      cluster.client(3).append("wide", shard, "late" + shard + "-", 1);
      all.add("late" + shard + "-0");
    }
    Await.until(
        () -> "the consumer receives the records appended later: " + consumer.payloads(),
        LocalCluster.CONVERGE,
        () -> consumer.payloads().containsAll(all));
    assertThat(consumer.payloads()).doesNotHaveDuplicates();

    // A shard reader on a node that does not own its shard.
    long elsewhere = shardNotOwnedBy(owners, 3);
    GrpcClient third = cluster.client(3);
    third
        .stub()
        .createShardReader(
            CreateShardReaderRequest.newBuilder()
                .setStreamName("wide")
                .setShardId(elsewhere)
                .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setReaderId("reader-on-3")
                .setTimeout(1000)
                .build());
    List<ReceivedRecord> read =
        third
            .stub()
            .readShard(
                ReadShardRequest.newBuilder().setReaderId("reader-on-3").setMaxRecords(100).build())
            .getReceivedRecordsList();
    assertThat(payloads(read))
        .containsExactly(
            "s" + elsewhere + "-0",
            "s" + elsewhere + "-1",
            "s" + elsewhere + "-2",
            "late" + elsewhere + "-0");
  }

  @Test
  void a_read_of_a_shard_whose_owner_is_down_answers_unavailable_naming_it() {
    GrpcClient first = cluster.client(1);
    first.createStream("gone", 6);
    Map<Long, Integer> owners = cluster.owners("gone");
    long onThird =
        owners.entrySet().stream()
            .filter(e -> e.getValue() == 3)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no shard on node 3: " + owners));
    first.append("gone", onThird, "x", 1);
    assertThat(payloads(StreamContents.received(first, onThird))).containsExactly("x0");

    cluster.server(3).close();
    Await.until(
        "node 1 no longer lists node 3 running",
        LocalCluster.CONVERGE,
        () -> LocalCluster.states(first).get(3) != NodeState.Running);
    Throwable failed = catchThrowable(() -> StreamContents.received(first, onThird));
    assertThat(failed).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) failed).getStatus();
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("shard " + onThird, "held by node 3");
  }

  private static long shardNotOwnedBy(Map<Long, Integer> owners, int node) {
    return owners.entrySet().stream()
        .filter(e -> e.getValue() != node)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> payloads(List<ReceivedRecord> received) {
    return received.stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .toList();
  }
}
