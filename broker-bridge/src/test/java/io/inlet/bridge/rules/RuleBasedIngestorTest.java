package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.ingest.IngestOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuleBasedIngestorTest {
  private final FakeStreams streams = new FakeStreams();
  private final IngestCounters counters = new IngestCounters();
  private RuleBasedIngestor ingestor;

  private RuleBasedIngestor ingestor(MappingRule... rules) {
    List<RuleEntry> entries = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      entries.add(new RuleEntry(rules[i], RuleSource.CONFIG, i, null));
    }
    RuleSet set = RuleSet.of(entries);
    ingestor = new RuleBasedIngestor(() -> set, streams, streams, counters);
    return ingestor;
  }

  @AfterEach
  void close() {
    if (ingestor != null) {
      ingestor.close();
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("completed normally: " + future.join());
  }

  @Test
  void a_matching_message_is_stored_in_the_rule_s_stream_and_counted() {
    streams.createNow("temps");
    ingestor(
        MappingRule.builder("t").topic("sensors/+/temp").stream("temps")
            .autoCreateStream(false)
            .build());

    IngestOutcome outcome = await(ingestor.ingest(Messages.publish("sensors/d1/temp", "21.5")));

    assertThat(outcome).isInstanceOf(IngestOutcome.Stored.class);
    IngestOutcome.Stored stored = (IngestOutcome.Stored) outcome;
    assertThat(stored.stream()).isEqualTo("temps");
    assertThat(stored.ruleName()).isEqualTo("t");
    assertThat(stored.batchIndex()).isZero();
    HStreamRecord record = streams.records("temps").get(0);
    assertThat(record.getPayload().toStringUtf8()).isEqualTo("21.5");
    assertThat(record.getHeader().getKey()).isEqualTo("dev-1");
    assertThat(counters.snapshot()).isEqualTo(new IngestCounters.Snapshot(1, 0, 0, 0));
  }

  @Test
  void a_message_no_rule_matches_is_not_stored_and_counted() {
    ingestor(MappingRule.builder("t").topic("a/#").stream("s").build());
    IngestOutcome outcome = await(ingestor.ingest(Messages.publish("b/c", "x")));
    assertThat(outcome).isEqualTo(new IngestOutcome.NoMatchingRule("b/c"));
    assertThat(streams.streams).isEmpty();
    assertThat(counters.noMatchingRuleCount()).isEqualTo(1);
  }

  @Test
  void a_payload_the_rule_refuses_is_rejected_and_counted() {
    streams.createNow("s");
    ingestor(MappingRule.builder("j").topic("#").stream("s").payload(PayloadMode.JSON).build());
    IngestOutcome outcome = await(ingestor.ingest(Messages.publish("a", "not json")));
    assertThat(outcome).isInstanceOf(IngestOutcome.Rejected.class);
    assertThat(((IngestOutcome.Rejected) outcome).ruleName()).isEqualTo("j");
    assertThat(streams.records("s")).isEmpty();
    assertThat(counters.rejectedCount()).isEqualTo(1);
  }

  @Test
  void a_record_the_store_refuses_is_rejected() {
    streams.createNow("s");
    streams.maxPayload = 10;
    ingestor(MappingRule.builder("r").topic("#").stream("s").build());
    IngestOutcome outcome = await(ingestor.ingest(Messages.publish("a", "x".repeat(100))));
    assertThat(outcome).isInstanceOf(IngestOutcome.Rejected.class);
    assertThat(((IngestOutcome.Rejected) outcome).reason()).isEqualTo("too large");
  }

  @Test
  void a_store_failure_fails_the_future_so_the_sender_does_not_ack() {
    streams.createNow("s");
    streams.storeFailing = true;
    ingestor(MappingRule.builder("r").topic("#").stream("s").build());
    assertThat(failure(ingestor.ingest(Messages.publish("a", "x"))))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(counters.failedCount()).isEqualTo(1);
  }

  @Test
  void a_missing_stream_without_auto_create_fails_with_stream_not_found() {
    ingestor(MappingRule.builder("r").topic("#").stream("nope").autoCreateStream(false).build());
    Throwable failure = failure(ingestor.ingest(Messages.publish("a", "x")));
    assertThat(failure)
        .isInstanceOf(InletException.class)
        .hasMessageContaining("auto-create is off");
    assertThat(((InletException) failure).code()).isEqualTo(ErrorCode.StreamNotFound);
    assertThat(streams.created).isEmpty();
  }

  @Test
  void an_auto_create_rule_creates_its_stream_with_its_shard_count_once() {
    ingestor(MappingRule.builder("r").topic("#").stream("auto").shards(3).build());
    for (int i = 0; i < 5; i++) {
      assertThat(await(ingestor.ingest(Messages.publish("a", "m" + i))))
          .isInstanceOf(IngestOutcome.Stored.class);
    }
    assertThat(streams.created).containsExactly("auto");
    assertThat(streams.shardCounts).containsEntry("auto", 3);
    assertThat(streams.records("auto")).hasSize(5);
  }

  @Test
  void messages_waiting_for_their_stream_are_stored_in_arrival_order() {
    streams.creationGate = new CountDownLatch(1);
    ingestor(MappingRule.builder("r").topic("#").stream("auto").build());
    List<CompletableFuture<IngestOutcome>> results = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      results.add(ingestor.ingest(Messages.publish("a", "m" + i)));
    }
    assertThat(results).noneMatch(CompletableFuture::isDone);
    streams.creationGate.countDown();
    results.forEach(RuleBasedIngestorTest::await);
    results.add(ingestor.ingest(Messages.publish("a", "m50")));
    await(results.get(50));
    assertThat(streams.records("auto"))
        .extracting(r -> r.getPayload().toStringUtf8())
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(0, 50).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void a_failed_creation_fails_the_waiting_messages() {
    streams.creationFailure = new StoreUnavailableException("disk full");
    ingestor(MappingRule.builder("r").topic("#").stream("auto").build());
    assertThat(failure(ingestor.ingest(Messages.publish("a", "x"))))
        .isInstanceOf(StoreUnavailableException.class);
    streams.creationFailure = null;
    assertThat(await(ingestor.ingest(Messages.publish("a", "y"))))
        .isInstanceOf(IngestOutcome.Stored.class);
  }

  @Test
  void a_stream_deleted_while_in_use_is_created_again() {
    ingestor(MappingRule.builder("r").topic("#").stream("auto").build());
    await(ingestor.ingest(Messages.publish("a", "1")));
    streams.delete("auto");
    assertThat(await(ingestor.ingest(Messages.publish("a", "2"))))
        .isInstanceOf(IngestOutcome.Stored.class);
    assertThat(streams.records("auto"))
        .extracting(r -> r.getPayload().toStringUtf8())
        .containsExactly("2");
  }

  @Test
  void close_fails_messages_still_waiting_for_a_stream() {
    streams.creationGate = new CountDownLatch(1);
    ingestor(MappingRule.builder("r").topic("#").stream("auto").build());
    CompletableFuture<IngestOutcome> waiting = ingestor.ingest(Messages.publish("a", "x"));
    ingestor.close();
    assertThat(failure(waiting)).isInstanceOf(StoreUnavailableException.class);
    streams.creationGate.countDown();
    assertThat(failure(ingestor.ingest(Messages.publish("b", "y"))))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void rule_changes_apply_to_the_next_message() {
    streams.createNow("one");
    streams.createNow("two");
    RuleSet[] current = {
      RuleSet.of(
          List.of(
              new RuleEntry(
                  MappingRule.builder("a").topic("#").stream("one").build(),
                  RuleSource.RUNTIME,
                  0,
                  null)))
    };
    ingestor = new RuleBasedIngestor(() -> current[0], streams, streams, counters);
    await(ingestor.ingest(Messages.publish("t", "1")));
    current[0] =
        RuleSet.of(
            List.of(
                new RuleEntry(
                    MappingRule.builder("b").topic("#").stream("two").build(),
                    RuleSource.RUNTIME,
                    1,
                    null)));
    await(ingestor.ingest(Messages.publish("t", "2")));
    assertThat(streams.records("one")).hasSize(1);
    assertThat(streams.records("two")).hasSize(1);
    Duration.ofSeconds(1);
  }
}
