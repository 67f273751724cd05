package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.ListConsumersRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.subscription.TestConsumer.Delivered;
import io.inlet.store.StoredEntry;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingFetchIT {
  @TempDir Path dir;
  private SubscriptionTestServer server;

  @BeforeEach
  void start() {
    server = new SubscriptionTestServer(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_single_consumer_receives_every_batch_as_stored_in_shard_order() {
    List<Long> shards = server.createStream("s", 2);
    List<AppendResult> appended = new ArrayList<>();
    for (long shard : shards) {
      appended.addAll(server.append("s", shard, "a", 5, 3));
    }
    server.subscribe("sub", "s", 60, 1000);
    try (TestConsumer consumer = server.consumer("sub", "c1", true)) {
      consumer.awaitRecords(30);
      List<ReceivedRecord> responses = consumer.responses();
      assertThat(responses).hasSize(10);
      for (ReceivedRecord r : responses) {
        RecordId first = r.getRecordIds(0);
        AppendResult stored =
            appended.stream()
                .filter(a -> a.shardId() == first.getShardId() && a.lsn() == first.getBatchId())
                .findFirst()
                .orElseThrow();
        assertThat(r.getRecordIdsList()).isEqualTo(stored.recordIds());
        StoredEntry batch = server.store.log().read(stored.shardId(), stored.lsn(), 1).get(0);
        assertThat(r.getRecord()).isEqualTo(BatchEntries.batch(batch));
      }
      for (long shard : shards) {
        List<Long> lsns =
            responses.stream()
                .map(r -> r.getRecordIds(0))
                .filter(id -> id.getShardId() == shard)
                .map(RecordId::getBatchId)
                .toList();
        assertThat(lsns).isSorted().hasSize(5).doesNotHaveDuplicates();
      }
      // Tailing: batches appended later arrive too.
      server.append("s", shards.get(0), "late", 2, 3);
      consumer.awaitRecords(36);
      assertThat(payloads(consumer.delivered()))
          .contains("late/" + shards.get(0) + "/1/2")
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void four_consumers_split_four_shards_and_every_record_reaches_exactly_one() {
    List<Long> shards = server.createStream("s", 4);
    server.subscribe("sub", "s", 60, 10_000);
    List<TestConsumer> consumers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      consumers.add(server.consumer("sub", "c" + i, true));
    }
    Await.until("four consumers", () -> consumerCount("sub") == 4);
    for (long shard : shards) {
      server.append("s", shard, "r", 20, 10);
    }
    Await.until(
        "all 800 records",
        () -> consumers.stream().mapToInt(TestConsumer::recordCount).sum() >= 800);

    Set<Long> shardsSeen = new HashSet<>();
    Set<String> payloads = new HashSet<>();
    for (TestConsumer c : consumers) {
      List<Delivered> delivered = c.delivered();
      Set<Long> ownShards =
          delivered.stream().map(d -> d.id().getShardId()).collect(Collectors.toSet());
      assertThat(ownShards).as("shards of %s", c.name).hasSize(1);
      assertThat(shardsSeen.addAll(ownShards)).isTrue();
      for (Delivered d : delivered) {
        assertThat(payloads.add(d.payload())).as("delivered twice: %s", d.payload()).isTrue();
      }
    }
    assertThat(shardsSeen).containsExactlyInAnyOrderElementsOf(shards);
    assertThat(payloads).hasSize(800);
  }

  @Test
  void a_departing_consumers_shards_and_unacknowledged_records_go_to_the_others() {
    List<Long> shards = server.createStream("s", 2);
    server.subscribe("sub", "s", 600, 10_000);
    TestConsumer lazy = server.consumer("sub", "lazy", false);
    Await.until("lazy joins", () -> consumerCount("sub") == 1);
    TestConsumer busy = server.consumer("sub", "busy", true);
    Await.until("busy joins", () -> consumerCount("sub") == 2);
    for (long shard : shards) {
      server.append("s", shard, "r", 3, 4);
    }
    List<Delivered> held = lazy.awaitRecords(12);
    busy.awaitRecords(12);
    long lazyShard = held.get(0).id().getShardId();
    assertThat(busy.delivered()).noneMatch(d -> d.id().getShardId() == lazyShard);

    lazy.cancel();
    // Far sooner than the 600 s ack timeout: the departed consumer's records move at once.
    List<Delivered> all = busy.awaitRecords(24);
    List<Delivered> moved = all.stream().filter(d -> d.id().getShardId() == lazyShard).toList();
    assertThat(moved).extracting(Delivered::id).containsExactlyElementsOf(ids(held));
    assertThat(payloads(moved)).containsExactlyElementsOf(payloads(held));

    // New batches of that shard now go to the remaining consumer too.
    server.append("s", lazyShard, "after", 1, 2);
    assertThat(payloads(busy.awaitRecords(26))).contains("after/" + lazyShard + "/0/1");
  }

  /**
   * The ack timeout runs on the subscription's ticker, which the test moves: ten minutes pass in no
   * time, and nothing comes again before they have.
   */
  @Test
  void unacknowledged_records_are_redelivered_after_the_ack_timeout() {
    List<Long> shards = server.createStream("s", 1);
    server.append("s", shards.get(0), "r", 1, 4);
    server.subscribe("sub", "s", 600, 10_000);
    try (TestConsumer consumer = server.consumer("sub", "c1", false)) {
      List<Delivered> first = consumer.awaitRecords(4);
      server.ticker.advance(Duration.ofSeconds(599));
      Await.holds(
          "nothing is redelivered before the ack timeout",
          Duration.ofMillis(500),
          () -> consumer.recordCount() == 4);

      server.ticker.advance(Duration.ofSeconds(2));
      List<Delivered> again = consumer.awaitRecords(8, Duration.ofSeconds(5));
      assertThat(ids(again.subList(4, 8))).containsExactlyElementsOf(ids(first));
      assertThat(payloads(again.subList(4, 8))).containsExactlyElementsOf(payloads(first));

      // Acknowledge records 0 and 2: only 1 and 3 come again, each id with its own record.
      consumer.ack(List.of(first.get(0).id(), first.get(2).id()));
      Await.until(
          "the acknowledgements to be applied",
          Duration.ofSeconds(5),
          () -> server.unacked("sub") == 2);
      server.ticker.advance(Duration.ofSeconds(601));
      List<Delivered> partial = consumer.awaitRecords(10, Duration.ofSeconds(5)).subList(8, 10);
      assertThat(ids(partial)).containsExactly(first.get(1).id(), first.get(3).id());
      assertThat(payloads(partial)).containsExactly(first.get(1).payload(), first.get(3).payload());
      assertThat(consumer.responses()).hasSize(3);

      consumer.ack(List.of(first.get(1).id(), first.get(3).id()));
      Await.until(
          "the acknowledgements to be applied",
          Duration.ofSeconds(5),
          () -> server.unacked("sub") == 0);
      int count = consumer.recordCount();
      server.ticker.advance(Duration.ofSeconds(601));
      Await.holds(
          "nothing is redelivered once all is acknowledged",
          Duration.ofMillis(500),
          () -> consumer.recordCount() == count);
    }
  }

  @Test
  void max_unacked_records_caps_what_is_outstanding_until_acks_arrive() {
    List<Long> shards = server.createStream("s", 1);
    server.append("s", shards.get(0), "r", 6, 5);
    server.subscribe("sub", "s", 600, 10);
    try (TestConsumer consumer = server.consumer("sub", "c1", false)) {
      List<Delivered> firstTwo = consumer.awaitRecords(10);
      Await.holds(
          "no more than 10 outstanding",
          Duration.ofMillis(500),
          () -> consumer.recordCount() == 10);
      consumer.ack(ids(firstTwo.subList(0, 5)));
      List<Delivered> three = consumer.awaitRecords(15);
      Await.holds(
          "one acked batch lets one more through",
          Duration.ofMillis(300),
          () -> consumer.recordCount() == 15);
      consumer.ack(ids(three.subList(5, 15)));
      consumer.awaitRecords(25);
      assertThat(payloads(consumer.delivered())).doesNotHaveDuplicates();
    }
  }

  @Test
  void after_a_restart_consumption_resumes_after_the_acknowledged_prefix() {
    List<Long> shards = server.createStream("s", 1);
    long shard = shards.get(0);
    server.append("s", shard, "r", 5, 2);
    server.subscribe("sub", "s", 600, 10_000);
    TestConsumer consumer = server.consumer("sub", "c1", false);
    List<Delivered> delivered = consumer.awaitRecords(10);
    // Acknowledge batches 1 and 3 fully and one record of batch 2: only batch 1 is the prefix.
    consumer.ack(ids(delivered.subList(0, 2)));
    consumer.ack(ids(delivered.subList(4, 6)));
    consumer.ack(List.of(delivered.get(2).id()));
    Await.until("the first batch to be acknowledged", () -> committed("sub", shard) == 1);

    server.restart();

    server.append("s", shard, "new", 1, 2);
    try (TestConsumer again = server.consumer("sub", "c1", true)) {
      List<Delivered> resumed = again.awaitRecords(8 + 2);
      Await.holds("nothing else arrives", Duration.ofMillis(300), () -> again.recordCount() == 10);
      assertThat(payloads(resumed))
          .doesNotContain("r/" + shard + "/0/0", "r/" + shard + "/0/1")
          .contains("r/" + shard + "/1/0", "r/" + shard + "/2/0", "new/" + shard + "/0/1");
      Await.until("everything to be acknowledged", () -> committed("sub", shard) == 6);
    }
  }

  @Test
  void a_latest_subscription_sees_only_records_appended_after_its_creation() {
    List<Long> shards = server.createStream("s", 2);
    for (long shard : shards) {
      server.append("s", shard, "old", 2, 2);
    }
    server.subscribe("sub", "s", 600, 10_000, SpecialOffset.LATEST);
    for (long shard : shards) {
      server.append("s", shard, "new", 1, 2);
    }
    // The start is fixed at creation: a consumer connecting after a restart still gets these.
    server.restart();
    for (long shard : shards) {
      server.append("s", shard, "newer", 1, 2);
    }
    try (TestConsumer consumer = server.consumer("sub", "c1", true)) {
      List<Delivered> delivered = consumer.awaitRecords(8);
      Await.holds(
          "nothing else arrives", Duration.ofMillis(300), () -> consumer.recordCount() == 8);
      assertThat(payloads(delivered))
          .allMatch(p -> p.startsWith("new/") || p.startsWith("newer/"))
          .hasSize(8);
    }
  }

  @Test
  void closing_the_rpcs_ends_streams_with_unavailable_so_clients_reconnect() {
    List<Long> shards = server.createStream("s", 1);
    server.subscribe("sub", "s", 600, 10_000);
    TestConsumer consumer = server.consumer("sub", "c1", true);
    Await.until("the consumer joins", () -> consumerCount("sub") == 1);
    server.rpcs.close();
    server.rpcs.close();
    assertThat(consumer.awaitError().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    server.append("s", shards.get(0), "r", 1, 1);
  }

  @Test
  void a_client_finishing_its_requests_leaves_and_its_stream_completes() {
    server.createStream("s", 1);
    server.subscribe("sub", "s", 600, 10_000);
    TestConsumer consumer = server.consumer("sub", "c1", true);
    Await.until("the consumer joins", () -> consumerCount("sub") == 1);
    consumer.finish();
    consumer.awaitCompleted();
    Await.until("the consumer leaves", () -> consumerCount("sub") == 0);
  }

  // ------------------------------------------------------------------------------ helpers

  private int consumerCount(String subscription) {
    return server
        .api
        .listConsumers(ListConsumersRequest.newBuilder().setSubscriptionId(subscription).build())
        .getConsumersCount();
  }

  private long committed(String subscription, long shard) {
    return server
        .api
        .getSubscription(
            io.inlet.api.hstream.GetSubscriptionRequest.newBuilder().setId(subscription).build())
        .getOffsetsList()
        .stream()
        .filter(o -> o.getShardId() == shard)
        .findFirst()
        .orElseThrow()
        .getBatchId();
  }

  private static List<RecordId> ids(List<Delivered> delivered) {
    return delivered.stream().map(Delivered::id).toList();
  }

  private static List<String> payloads(List<Delivered> delivered) {
    return delivered.stream().map(Delivered::payload).toList();
  }

  @SuppressWarnings("unused")
  private static Map<Long, List<Delivered>> byShard(List<Delivered> delivered) {
    Map<Long, List<Delivered>> map = new HashMap<>();
    for (Delivered d : delivered) {
      map.computeIfAbsent(d.id().getShardId(), k -> new ArrayList<>()).add(d);
    }
    return map;
  }
}
