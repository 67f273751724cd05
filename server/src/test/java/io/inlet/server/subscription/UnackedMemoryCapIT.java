package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.server.subscription.TestConsumer.Delivered;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription that asks for {@code maxUnackedRecords = 2^31-1} and never acknowledges is held at
 * the server's ceilings (per subscription and per node); what the node keeps for unacknowledged
 * records is bookkeeping, not payloads, and redelivery re-reads the batches from the store.
 */
class UnackedMemoryCapIT {
  private static final int RECORD_BYTES = 4096;
  private static final int BATCH = 10;

  @TempDir Path dir;
  private InletServer server;
  private final ManualTicker clock = new ManualTicker();
  private GrpcClient client;

  private void start(int perSubscription, int perNode) {
    server =
        InletServer.builder(
                ServerConfig.forTests(
                    dir,
                    Map.of(
                        "subscription-max-unacked-records", Integer.toString(perSubscription),
                        "node-max-unacked-records", Integer.toString(perNode))))
            .subscriptionTicker(clock)
            .start();
    client = new GrpcClient(server.grpcPort());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** {@code batches} batches of 10 records of 4 KiB; returns what the store gave each. */
  private List<AppendResult> fill(String stream, long shard, int batches, CompressionType type) {
    List<AppendResult> results = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<HStreamRecord> records = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        byte[] payload = new byte[RECORD_BYTES];
        Arrays.fill(payload, (byte) ('a' + (b + i) % 26));
        byte[] tag = (b + "/" + i + "/").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tag, 0, payload, 0, tag.length);
        records.add(HStreamRecords.raw("k", payload, Map.of()));
      }
      BatchedRecord batch = RecordBatches.encode(records, type);
      results.add(server.appender().append(stream, shard, batch).join());
    }
    return results;
  }

  private void subscribe(String id, String stream, int ackTimeoutSeconds) {
    client.subscribe(id, stream, ackTimeoutSeconds, Integer.MAX_VALUE);
  }

  /** The ids of the first {@code count} responses a consumer received. */
  private static List<RecordId> idsOfFirst(TestConsumer consumer, int count) {
    List<RecordId> ids = new ArrayList<>();
    for (ReceivedRecord r : consumer.responses().subList(0, count)) {
      ids.addAll(r.getRecordIdsList());
    }
    return ids;
  }

  private double gauge(String name, String subscription) {
    Gauge gauge = server.metrics().registry().find(name).tag("subscription", subscription).gauge();
    assertThat(gauge).as(name + " of " + subscription).isNotNull();
    return gauge.value();
  }

  @Test
  void delivery_pauses_at_the_subscription_ceiling_holding_bookkeeping_only() {
    start(100, 10_000);
    client.createStream("big", 1);
    long shard = client.shardIds("big").get(0);
    fill("big", shard, 50, CompressionType.None);
    subscribe("greedy", "big", 600);

    try (TestConsumer consumer = new TestConsumer(client.async, "greedy", "c", false)) {
      consumer.awaitRecords(100);
      Await.holds(
          "delivery stays at the ceiling",
          Duration.ofMillis(500),
          () -> consumer.recordCount() == 100);
      assertThat(gauge(SubscriptionMetrics.UNACKED, "greedy")).isEqualTo(100);
      // 100 records of 4 KiB went out (400 KiB); the node keeps a few hundred bytes per batch.
      double held = gauge(SubscriptionMetrics.MEMORY, "greedy");
      assertThat(held).isPositive().isLessThan(16 * 1024);

      // Acknowledging 3 batches lets 3 more go out, and no more.
      consumer.ack(idsOfFirst(consumer, 3));
      consumer.awaitRecords(130);
      Await.holds(
          "delivery stops at the ceiling again",
          Duration.ofMillis(300),
          () -> consumer.recordCount() == 130);
      Await.until(
          "the unacked gauge to follow", () -> gauge(SubscriptionMetrics.UNACKED, "greedy") == 100);
    }
  }

  @Test
  void the_node_ceiling_bounds_every_subscription_together() {
    start(100, 150);
    client.createStream("shared", 1);
    long shard = client.shardIds("shared").get(0);
    fill("shared", shard, 30, CompressionType.None);
    subscribe("first", "shared", 600);
    subscribe("second", "shared", 600);

    try (TestConsumer first = new TestConsumer(client.async, "first", "c1", false)) {
      first.awaitRecords(100);
      try (TestConsumer second = new TestConsumer(client.async, "second", "c2", false)) {
        second.awaitRecords(50);
        Await.holds(
            "the node stays at its ceiling",
            Duration.ofMillis(500),
            () -> first.recordCount() + second.recordCount() == 150);

        // The first subscription's acks make room on the node: delivery resumes (for both, they
        // share the room) until the node is at its ceiling again. Both may find room at the same
        // moment, so each may send the batch that crosses the ceiling: the total overshoots by
        // less than one batch per subscription (NodeUnackedBudget), and then stops.
        List<RecordId> acked = idsOfFirst(first, 5);
        first.ack(acked);
        IntSupplier unacked = () -> first.recordCount() - acked.size() + second.recordCount();
        Await.until("the node to fill up again", () -> unacked.getAsInt() >= 150);
        int filled = unacked.getAsInt();
        assertThat(filled).isLessThan(150 + 2 * BATCH);
        Await.holds(
            "the node stays at its ceiling",
            Duration.ofMillis(300),
            () -> unacked.getAsInt() == filled);
        assertThat(second.recordCount()).isLessThanOrEqualTo(100 + BATCH);
      }
    }
  }

  @Test
  void redelivery_re_reads_the_right_bytes_with_the_right_ids() {
    start(1_000, 10_000);
    client.createStream("redo", 1);
    long shard = client.shardIds("redo").get(0);
    List<AppendResult> appended = new ArrayList<>();
    appended.addAll(fill("redo", shard, 2, CompressionType.Gzip));
    appended.addAll(fill("redo", shard, 2, CompressionType.Zstd));
    subscribe("again", "redo", 2);

    try (TestConsumer consumer = new TestConsumer(client.async, "again", "c", false)) {
      List<Delivered> first = consumer.awaitRecords(40);
      // Acknowledge the even records of every batch; the odd ones come back after the timeout,
      // re-read from the store and re-encoded with their original ids.
      List<RecordId> even = new ArrayList<>();
      for (Delivered d : first) {
        if (d.id().getBatchIndex() % 2 == 0) {
          even.add(d.id());
        }
      }
      consumer.ack(even);
      Await.until(
          "the node to have taken the acks",
          () -> gauge(SubscriptionMetrics.UNACKED, "again") == 20);
      // The subscription's clock has not moved: nothing is due yet.
      assertThat(consumer.responses()).hasSize(4);
      clock.advance(Duration.ofSeconds(3));
      Await.until(
          "every odd record to come back in a batch of the unacknowledged ones",
          Duration.ofSeconds(30),
          () ->
              consumer.responses().stream()
                      .skip(4)
                      .filter(r -> r.getRecordIdsCount() == BATCH / 2)
                      .map(r -> r.getRecordIds(0).getBatchId())
                      .distinct()
                      .count()
                  == 4);
      List<Delivered> all = consumer.delivered();
      for (Delivered d : all.subList(40, all.size())) {
        Delivered original =
            first.stream().filter(f -> f.id().equals(d.id())).findFirst().orElseThrow();
        assertThat(d.record()).as("redelivered %s", d.id()).isEqualTo(original.record());
      }
      for (ReceivedRecord r : consumer.responses().subList(4, consumer.responses().size())) {
        long lsn = r.getRecordIds(0).getBatchId();
        AppendResult stored =
            appended.stream().filter(a -> a.lsn() == lsn).findFirst().orElseThrow();
        assertThat(r.getRecord().getCompressionTypeValue())
            .isEqualTo(server.store().log().read(shard, stored.lsn(), 1).get(0).entry().format());
        if (r.getRecordIdsCount() == BATCH / 2) {
          assertThat(r.getRecordIdsList())
              .extracting(RecordId::getBatchIndex)
              .containsExactly(1, 3, 5, 7, 9);
        }
      }
    }
  }
}
