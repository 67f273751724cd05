package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CheckSubscriptionExistRequest;
import io.inlet.api.hstream.Consumer;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetSubscriptionRequest;
import io.inlet.api.hstream.ListConsumersRequest;
import io.inlet.api.hstream.ListSubscriptionsRequest;
import io.inlet.api.hstream.LookupResourceRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.LookupSubscriptionRequest;
import io.inlet.api.hstream.ResourceType;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.hstream.SubscriptionOffset;
import io.inlet.api.naming.ObjectNames;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.HoldingConsumer;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions in the cluster (issue 12): three nodes in one JVM, a stream with replication factor
 * 3 (so its records survive any one node). A subscription created through one node is listed by
 * every node; every node's lookup names the same owner; a consumer on another node is refused with
 * UNAVAILABLE; once the owner is closed, the lookups name a new owner, where a consumer receives
 * every record not acknowledged before the last checkpoint commit, and none that was.
 */
class ClusterSubscriptionsIT {
  private static final int PER_SHARD = 10;
  private static final int ACKED_PER_SHARD = 5;
  private static final int RACE_ROUNDS = Integer.getInteger("inlet.it.subscriptionRaceRounds", 30);

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
  void a_subscription_moves_to_a_new_owner_and_resumes_from_its_committed_checkpoints() {
    GrpcClient first = cluster.client(1);
    createReplicatedStream("orders", 2);
    first.subscribe("orders-sub", "orders", 600, 10_000);

    // Listed and described through every node.
    for (int node = 1; node <= 3; node++) {
      assertThat(
              cluster
                  .client(node)
                  .stub()
                  .listSubscriptions(ListSubscriptionsRequest.getDefaultInstance())
                  .getSubscriptionList())
          .as("subscriptions listed by node %d", node)
          .extracting(Subscription::getSubscriptionId)
          .containsExactly("orders-sub");
    }

    // Every node names the same owner, by LookupSubscription and by LookupResource.
    int owner = lookup(1, "orders-sub");
    for (int node = 1; node <= 3; node++) {
      assertThat(lookup(node, "orders-sub")).as("owner named by node %d", node).isEqualTo(owner);
      assertThat(lookupResource(node, "orders-sub")).isEqualTo(owner);
    }

    // Single-record batches: the checkpoint (per batch) then covers exactly the records acked.
    List<Long> shards = first.shardIds("orders");
    Map<Long, List<Long>> lsns = new HashMap<>();
    for (long shard : shards) {
      Await.until(
          "shard " + shard + " has a leader", LocalCluster.CONVERGE, () -> hasLeader(shard));
      for (int i = 0; i < PER_SHARD; i++) {
        long lsn = first.append("orders", shard, payload(shard, i), 1).getRecordIds(0).getBatchId();
        lsns.computeIfAbsent(shard, s -> new ArrayList<>()).add(lsn);
      }
    }

    // A consumer on a node that does not own the subscription is sent to look it up again.
    int other = owner % 3 + 1;
    HoldingConsumer refused = new HoldingConsumer(cluster.client(other), "orders-sub", "c0");
    Await.until(
        "the consumer on a non-owner is refused",
        LocalCluster.CONVERGE,
        () -> refused.error() != null);
    assertThat(Status.fromThrowable(refused.error()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Status.fromThrowable(refused.error()).getDescription())
        .contains("served by node " + owner);

    // On the owner: every record arrives; the first ACKED_PER_SHARD of each shard are acked.
    HoldingConsumer before = new HoldingConsumer(cluster.client(owner), "orders-sub", "c1");
    Set<String> all = new HashSet<>();
    Set<String> acked = new HashSet<>();
    for (long shard : shards) {
      for (int i = 0; i < PER_SHARD; i++) {
        all.add(payload(shard, i) + "0");
        if (i < ACKED_PER_SHARD) {
          acked.add(payload(shard, i) + "0");
        }
      }
    }
    Await.until(
        () -> "the owner's consumer receives every record: " + before.payloads(),
        LocalCluster.CONVERGE,
        () -> before.payloads().containsAll(all));
    before.ack(acked);

    // The checkpoints are committed in the replicated metadata: another node reports them.
    Map<Long, Long> expected = new HashMap<>();
    for (long shard : shards) {
      expected.put(shard, lsns.get(shard).get(ACKED_PER_SHARD - 1));
    }
    Await.until(
        () ->
            "node "
                + other
                + " reports the committed checkpoints "
                + expected
                + ": "
                + offsets(other),
        LocalCluster.CONVERGE,
        () -> offsets(other).equals(expected));

    // The owner goes; the survivors agree on a new one.
    cluster.server(owner).close();
    List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
    survivors.remove(Integer.valueOf(owner));
    Await.until(
        () ->
            "the survivors name one new owner: "
                + survivors.stream().map(n -> lookup(n, "orders-sub")).toList(),
        LocalCluster.CONVERGE,
        () -> {
          Set<Integer> named =
              survivors.stream().map(n -> lookup(n, "orders-sub")).collect(Collectors.toSet());
          return named.size() == 1 && !named.contains(owner);
        });
    int next = lookup(survivors.get(0), "orders-sub");

    // There, every record not acked before the commit arrives, and no acked one: delivery is in LSN
    // order per shard, so an acked record would have come before the shard's unacked ones.
    Set<String> unacked = new HashSet<>(all);
    unacked.removeAll(acked);
    HoldingConsumer after = new HoldingConsumer(cluster.client(next), "orders-sub", "c2");
    Await.until(
        () -> "the new owner's consumer receives every unacked record: " + after.payloads(),
        LocalCluster.CONVERGE,
        () -> after.payloads().containsAll(unacked));
    assertThat(after.payloads()).doesNotContainAnyElementsOf(acked).doesNotHaveDuplicates();
    after.cancel();
  }

  @Test
  void a_node_that_lost_its_subscription_ends_its_consumers_and_commits_nothing_more() {
    GrpcClient first = cluster.client(1);
    createReplicatedStream("events", 1);
    first.subscribe("events-sub", "events", 600, 10_000);
    long shard = first.shardIds("events").get(0);
    Await.until("shard " + shard + " has a leader", LocalCluster.CONVERGE, () -> hasLeader(shard));
    List<Long> lsns = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < PER_SHARD; i++) {
      lsns.add(first.append("events", shard, payload(shard, i), 1).getRecordIds(0).getBatchId());
      payloads.add(payload(shard, i) + "0");
    }
    int owner = lookup(1, "events-sub");
    HoldingConsumer consumer = new HoldingConsumer(cluster.client(owner), "events-sub", "c1");
    Await.until(
        () -> "the consumer receives every record: " + consumer.payloads(),
        LocalCluster.CONVERGE,
        () -> consumer.payloads().containsAll(payloads));
    consumer.ack(payloads.subList(0, 3));
    Map<Long, Long> committed = Map.of(shard, lsns.get(2));
    Await.until(
        () -> "the checkpoint " + committed + " is committed: " + offsets(owner, "events-sub"),
        LocalCluster.CONVERGE,
        () -> offsets(owner, "events-sub").equals(committed));

    // Another node takes the subscription over, as one that thought the owner dead would.
    int other = owner % 3 + 1;
    takeOver(other, "events-sub");

    // The old owner's consumer acknowledges the rest: its node must not commit them any more.
    consumer.ack(payloads.subList(3, PER_SHARD));
    Await.until(
        "the old owner ends its consumer", LocalCluster.CONVERGE, () -> consumer.error() != null);
    assertThat(Status.fromThrowable(consumer.error()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(offsets(other, "events-sub")).isEqualTo(committed);
    for (int node = 1; node <= 3; node++) {
      assertThat(lookup(node, "events-sub")).isEqualTo(other);
    }
  }

  @Test
  void every_node_sees_the_owners_consumers_and_deletes_through_the_owner() {
    createReplicatedStream("metrics", 1);
    cluster.client(1).subscribe("metrics-sub", "metrics", 600, 10_000);
    int owner = lookup(1, "metrics-sub");
    int other = owner % 3 + 1;
    HoldingConsumer consumer = new HoldingConsumer(cluster.client(owner), "metrics-sub", "c1");
    Await.until(
        "the owner lists its consumer",
        LocalCluster.CONVERGE,
        () -> consumers(owner, "metrics-sub").contains("c1"));

    // Every node lists the owner's consumer.
    for (int node = 1; node <= 3; node++) {
      assertThat(consumers(node, "metrics-sub"))
          .as("consumers listed by node %d", node)
          .containsExactly("c1");
    }

    // A delete without force through another node is refused while the consumer is connected.
    GrpcClient.assertFails(
        () -> delete(other, "metrics-sub", false),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.SubscriptionFoundActiveConsumers);
    assertThat(subscriptionExists(other, "metrics-sub")).isTrue();
    assertThat(consumer.error()).isNull();

    // A forced one through another node ends the consumer at once and removes it everywhere.
    delete(other, "metrics-sub", true);
    Await.until(
        "the owner ends its consumer", LocalCluster.CONVERGE, () -> consumer.error() != null);
    assertThat(Status.fromThrowable(consumer.error()).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    for (int node = 1; node <= 3; node++) {
      assertThat(subscriptionExists(node, "metrics-sub")).as("node %d", node).isFalse();
    }
  }

  /**
   * A subscription created through one node while another deletes its stream (without force): of
   * the two, at least one sees the other. Either the delete is refused, or the create fails, or the
   * subscription is archived as after a forced delete; none is left on a stream that is gone.
   */
  @Test
  void a_subscription_created_while_its_stream_is_deleted_is_not_left_on_a_missing_stream()
      throws Exception {
    ExecutorService racers = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < RACE_ROUNDS; round++) {
        String stream = "race-" + round;
        String subscription = stream + "-sub";
        cluster.client(1).createStream(stream, 1);
        CountDownLatch start = new CountDownLatch(1);
        Future<Boolean> deleted =
            racers.submit(
                () -> {
                  start.await();
                  return succeeds(
                      () ->
                          cluster
                              .client(1)
                              .stub()
                              .deleteStream(
                                  DeleteStreamRequest.newBuilder().setStreamName(stream).build()));
                });
        Future<Boolean> subscribed =
            racers.submit(
                () -> {
                  start.await();
                  return succeeds(
                      () -> cluster.client(2).subscribe(subscription, stream, 600, 10_000));
                });
        start.countDown();
        boolean streamGone = deleted.get();
        boolean created = subscribed.get();
        Optional<String> subscribedTo = subscribedStream(3, subscription);
        String outcome = "round " + round + ": deleted " + streamGone + ", subscribed " + created;
        if (!streamGone) {
          assertThat(subscribedTo).as(outcome).contains(stream);
        } else if (created) {
          assertThat(subscribedTo).as(outcome).contains(ObjectNames.ARCHIVED_STREAM);
        } else {
          assertThat(subscribedTo).as(outcome).isEmpty();
        }
      }
    } finally {
      racers.shutdownNow();
    }
  }

  private static boolean succeeds(Runnable call) {
    try {
      call.run();
      return true;
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      assertThat(code)
          .as(e.toString())
          .isIn(Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND);
      return false;
    }
  }

  private Optional<String> subscribedStream(int node, String subscription) {
    try {
      return Optional.of(
          cluster
              .client(node)
              .stub()
              .getSubscription(GetSubscriptionRequest.newBuilder().setId(subscription).build())
              .getSubscription()
              .getStreamName());
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      return Optional.empty();
    }
  }

  private List<String> consumers(int node, String subscription) {
    return cluster
        .client(node)
        .stub()
        .listConsumers(ListConsumersRequest.newBuilder().setSubscriptionId(subscription).build())
        .getConsumersList()
        .stream()
        .map(Consumer::getName)
        .toList();
  }

  private void delete(int node, String subscription, boolean force) {
    cluster
        .client(node)
        .stub()
        .deleteSubscription(
            DeleteSubscriptionRequest.newBuilder()
                .setSubscriptionId(subscription)
                .setForce(force)
                .build());
  }

  private boolean subscriptionExists(int node, String subscription) {
    return cluster
        .client(node)
        .stub()
        .checkSubscriptionExist(
            CheckSubscriptionExistRequest.newBuilder().setSubscriptionId(subscription).build())
        .getExists();
  }

  /** Writes {@code node} as the subscription's owner, keeping its checkpoints. */
  private void takeOver(int node, String subscription) {
    ReplicatedMetadata metadata = cluster.server(node).replicatedMetadata().orElseThrow();
    String key = ReplicatedSubscriptionCatalog.progressKey(subscription);
    MetadataEntry entry =
        metadata
            .get(ReplicatedSubscriptionCatalog.NAMESPACE, key, ReadMode.LINEARIZABLE)
            .join()
            .orElseThrow();
    SubscriptionProgress taken = SubscriptionCodec.decodeProgress(entry.value()).ownedBy(node);
    metadata
        .write(
            MetadataWrite.in(ReplicatedSubscriptionCatalog.NAMESPACE)
                .put(key, SubscriptionCodec.encode(taken), entry.version())
                .build())
        .join();
  }

  /** Replication factor 3: the stream's records outlive any one node. */
  private void createReplicatedStream(String name, int shards) {
    cluster
        .client(1)
        .stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setShardCount(shards)
                .setReplicationFactor(3)
                .build());
  }

  private boolean hasLeader(long shard) {
    try {
      cluster
          .client(1)
          .stub()
          .lookupShard(LookupShardRequest.newBuilder().setShardId(shard).build());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  private static String payload(long shard, int i) {
    return "s" + shard + "-" + i + "-";
  }

  private int lookup(int node, String subscription) {
    return cluster
        .client(node)
        .stub()
        .lookupSubscription(
            LookupSubscriptionRequest.newBuilder().setSubscriptionId(subscription).build())
        .getServerNode()
        .getId();
  }

  private int lookupResource(int node, String subscription) {
    return cluster
        .client(node)
        .stub()
        .lookupResource(
            LookupResourceRequest.newBuilder()
                .setResType(ResourceType.ResSubscription)
                .setResId(subscription)
                .build())
        .getId();
  }

  private Map<Long, Long> offsets(int node) {
    return offsets(node, "orders-sub");
  }

  /** Per shard, the batch id of the last committed batch, as {@code node} reports it. */
  private Map<Long, Long> offsets(int node, String subscription) {
    return cluster
        .client(node)
        .stub()
        .getSubscription(GetSubscriptionRequest.newBuilder().setId(subscription).build())
        .getOffsetsList()
        .stream()
        .collect(Collectors.toMap(SubscriptionOffset::getShardId, SubscriptionOffset::getBatchId));
  }
}
