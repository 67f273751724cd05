package io.inlet.cdc.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.record.RecordBatches;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamChangeConsumer} with its {@link OffsetCommitQueue}, fed batches as Debezium's engine
 * feeds them, over an appender whose durability the test holds back and releases in any order. The
 * committer stands for the engine's: at each mark it checks that the event's batch and every batch
 * before it are durable, which is what keeps a committed offset from running ahead of the stream.
 */
class OffsetCommitQueueTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema ROW =
      SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).optional().build();
  private static final Schema SOURCE =
      SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .build();

  private final HeldAppender appender = new HeldAppender();
  private final CheckingCommitter committer = new CheckingCommitter(appender);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final OffsetCommitQueue<RecordChangeEvent<SourceRecord>> queue =
      new OffsetCommitQueue<>("test", Duration.ZERO, failure::set);
  private final StreamChangeConsumer consumer =
      new StreamChangeConsumer(appender, "s", new ConnectorStats(), queue);

  @AfterEach
  void close() {
    queue.close();
  }

  @Test
  void records_are_marked_processed_only_once_their_batch_and_every_earlier_one_is_durable()
      throws Exception {
    for (int batch = 0; batch < 3; batch++) {
      consumer.handleBatch(batch(batch, 4), committer);
    }
    // handleBatch returned three times with nothing durable: the poll loop did not wait.
    assertThat(appender.appends).hasSize(3);

    appender.complete(2);
    appender.complete(1);
    assertThat(committer.marked).isEmpty();
    appender.complete(0);

    Await.until("every record marked", DEADLINE, () -> committer.marked.size() == 12);
    Await.until("the last batch finished", DEADLINE, () -> committer.finishedAfter == 12);
    assertThat(committer.violations).isEmpty();
    assertThat(committer.marked).isEqualTo(ids(0, 3, 4));
    assertThat(failure.get()).isNull();
  }

  @Test
  void with_a_commit_interval_the_last_durable_batch_is_committed_without_a_further_batch()
      throws Exception {
    try (OffsetCommitQueue<RecordChangeEvent<SourceRecord>> periodic =
        new OffsetCommitQueue<>("periodic", Duration.ofMillis(300), failure::set)) {
      StreamChangeConsumer quiet =
          new StreamChangeConsumer(appender, "s", new ConnectorStats(), periodic);
      quiet.handleBatch(batch(0, 2), committer);
      appender.complete(0);
      Await.until("the first batch committed", DEADLINE, () -> committer.finishedAfter == 2);
      quiet.handleBatch(batch(1, 3), committer);
      appender.complete(1);

      // No batch follows: the queue itself commits the second one once the interval has passed.
      Await.until("the second batch committed", DEADLINE, () -> committer.finishedAfter == 5);
      assertThat(committer.violations).isEmpty();
      assertThat(failure.get()).isNull();
    }
  }

  @Test
  void a_failed_append_leaves_its_batch_and_later_ones_unmarked_and_stops_the_poll_loop()
      throws Exception {
    for (int batch = 0; batch < 3; batch++) {
      consumer.handleBatch(batch(batch, 2), committer);
    }
    appender.complete(0);
    appender.complete(2);
    appender.appends.get(1).completeExceptionally(new IllegalStateException("disk full"));

    Await.until("the failure reported", DEADLINE, () -> failure.get() != null);
    assertThat(failure.get()).hasMessageContaining("disk full");
    assertThat(committer.marked).isEqualTo(ids(0, 1, 2));
    assertThat(committer.violations).isEmpty();
    assertThatThrownBy(() -> consumer.handleBatch(batch(3, 2), committer))
        .isInstanceOf(StreamChangeConsumer.StreamWriteException.class)
        .hasMessageContaining("disk full");
  }

  @Test
  void the_poll_loop_waits_once_the_in_flight_batches_reach_the_limit() throws Exception {
    int limit = OffsetCommitQueue.MAX_IN_FLIGHT_BATCHES;
    for (int batch = 0; batch < limit; batch++) {
      consumer.handleBatch(batch(batch, 1), committer);
    }
    CompletableFuture<Void> next = new CompletableFuture<>();
    Thread poller =
        new Thread(
            () -> {
              try {
                consumer.handleBatch(batch(limit, 1), committer);
                next.complete(null);
              } catch (Throwable e) {
                next.completeExceptionally(e);
              }
            });
    poller.start();
    Await.until(
        "the next batch appended, then held at the limit",
        DEADLINE,
        () ->
            appender.appends.size() == limit + 1
                && poller.getState() == Thread.State.TIMED_WAITING);
    assertThat(next).isNotDone();

    appender.complete(0);
    next.get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    for (int batch = 1; batch <= limit; batch++) {
      appender.complete(batch);
    }
    Await.until("every record marked", DEADLINE, () -> committer.marked.size() == limit + 1);
    assertThat(queue.drain(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(committer.violations).isEmpty();
  }

  private static List<Integer> ids(int firstBatch, int batches, int perBatch) {
    List<Integer> out = new ArrayList<>();
    for (int b = firstBatch; b < firstBatch + batches; b++) {
      for (int i = 0; i < perBatch; i++) {
        out.add(b * 100 + i);
      }
    }
    return out;
  }

  private static List<RecordChangeEvent<SourceRecord>> batch(int batch, int size) {
    List<RecordChangeEvent<SourceRecord>> events = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int id = batch * 100 + i;
      Struct envelope =
          new Struct(ENVELOPE)
              .put("after", new Struct(ROW).put("id", id))
              .put("source", new Struct(SOURCE).put("ts_ms", 1L))
              .put("op", "c");
      SourceRecord record =
          new SourceRecord(
              Map.of("server", "x"),
              Map.of("id", id),
              "x.db.t",
              KEY,
              new Struct(KEY).put("id", id),
              ENVELOPE,
              envelope);
      events.add(() -> record);
    }
    return events;
  }

  private static int idOf(RecordChangeEvent<SourceRecord> event) {
    return (Integer) event.record().sourceOffset().get("id");
  }

  /** Keeps every append's future for the test to complete or fail; one shard. */
  private static final class HeldAppender implements StreamAppender {
    final List<CompletableFuture<AppendResult>> appends = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<AppendResult> append(
        String streamName, long shardId, BatchedRecord batch) {
      CompletableFuture<AppendResult> future = new CompletableFuture<>();
      int count = RecordBatches.decode(batch).size();
      appends.add(future);
      return future.thenApply(ignored -> new AppendResult(streamName, shardId, 0, count));
    }

    void complete(int batch) {
      appends.get(batch).complete(null);
    }

    @Override
    public long shardForKey(String streamName, String partitionKey) {
      return 0;
    }
  }

  /** Stands for the engine's committer; records marks and what was not durable when marked. */
  private static final class CheckingCommitter
      implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
    final List<Integer> marked = Collections.synchronizedList(new ArrayList<>());
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile int finishedAfter;
    private final HeldAppender appender;

    CheckingCommitter(HeldAppender appender) {
      this.appender = appender;
    }

    @Override
    public void markProcessed(RecordChangeEvent<SourceRecord> event) {
      int id = idOf(event);
      for (int batch = 0; batch <= id / 100; batch++) {
        CompletableFuture<AppendResult> append = appender.appends.get(batch);
        if (!append.isDone() || append.isCompletedExceptionally()) {
          violations.add("record " + id + " marked before batch " + batch + " was durable");
        }
      }
      if (!marked.isEmpty() && marked.get(marked.size() - 1) > id) {
        violations.add("record " + id + " marked after " + marked.get(marked.size() - 1));
      }
      marked.add(id);
    }

    @Override
    public void markBatchFinished() {
      finishedAfter = marked.size();
    }

    @Override
    public void markProcessed(
        RecordChangeEvent<SourceRecord> event, DebeziumEngine.Offsets sourceOffsets) {
      markProcessed(event);
    }

    @Override
    public DebeziumEngine.Offsets buildOffsets() {
      throw new UnsupportedOperationException();
    }
  }
}
