package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.mariadbSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.record.BatchValidator;
import io.inlet.api.state.KeyValueStore;
import io.inlet.cdc.config.ConfigValidator;
import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.config.ConnectorSpec;
import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.source.DebeziumSourceTask;
import io.inlet.cdc.state.ConnectorStateSpace;
import io.inlet.server.LocalStreamAppender;
import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.server.ingest.StoreStreamProvisioner;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Debezium's engine over a real MariaDB into a real node's store, with the store's durability
 * acknowledgements held back from the connector: the poll loop keeps going while a batch is not yet
 * durable, no offset is committed until the records it covers are, a source gone quiet still
 * commits the offset of its last durable batch, and a restart resumes from the committed offsets
 * without a new snapshot.
 *
 * <p>Batches are kept to {@link #BATCH_ROWS} changes so that each batch is one append (a change
 * record here is about 480 bytes; the connector splits a batch into appends of at most 512 KiB):
 * the test counts batches by counting appends.
 */
class SourceOffsetDurabilityIT extends MariadbNodeFixture {
  private static final int SNAPSHOT_ROWS = 6000;
  private static final int STREAMED_ROWS = 200;
  private static final int BATCH_ROWS = 500;
  private static final int QUIET_SNAPSHOT_ROWS = 2000;

  /** Long enough that the snapshot's later batches all become durable within one interval. */
  private static final int COMMIT_INTERVAL_MS = 10_000;

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @Test
  void offsets_are_committed_only_after_the_records_they_cover_are_durable() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE readings (id INT PRIMARY KEY, v INT)");
      insertRows(db, 1, SNAPSHOT_ROWS);
    }
    HeldAcknowledgements held = new HeldAcknowledgements(nodeAppender());
    OffsetWrites offsets = new OffsetWrites(held);
    KeyValueStore state = offsets.over(new MetadataKeyValueStore(server.store().metadata()));
    Run first = Run.start(task(held, state, ""));

    Await.until(
        "a second batch appended while the first is not yet acknowledged as durable",
        DEADLINE,
        () -> held.appended() >= 2);
    assertThat(offsets.writes()).as("offset writes before any batch was durable").isZero();

    held.releaseOne();
    Await.until(
        "an offset commit after the first durable batch", DEADLINE, () -> offsets.writes() > 0);
    held.releaseAll();
    try (Connection db = CdcDatabases.mariadb(database)) {
      insertRows(db, SNAPSHOT_ROWS + 1, STREAMED_ROWS);
    }
    Await.until(
        "the snapshot and the streamed rows in the stream",
        DEADLINE,
        () -> changes(client, "readings").size() >= SNAPSHOT_ROWS + STREAMED_ROWS);
    first.stop();
    assertThat(offsets.violations()).isEmpty();

    // A restart resumes from the committed offsets: new rows only, no second snapshot.
    Run second = Run.start(task(nodeAppender(), state, ""));
    try (Connection db = CdcDatabases.mariadb(database)) {
      insertRows(db, SNAPSHOT_ROWS + STREAMED_ROWS + 1, 10);
    }
    Await.until(
        "the rows inserted after the restart",
        DEADLINE,
        () ->
            changes(client, "readings").stream()
                .anyMatch(c -> c.id() == SNAPSHOT_ROWS + STREAMED_ROWS + 10));
    second.stop();
    List<Change> all = changes(client, "readings");
    assertThat(all.stream().filter(c -> c.op().equals("r")).count()).isEqualTo(SNAPSHOT_ROWS);
    assertThat(
            all.stream().filter(c -> c.op().equals("c")).mapToDouble(Change::id).distinct().count())
        .isEqualTo(STREAMED_ROWS + 10);
  }

  @Test
  void a_source_gone_quiet_commits_the_offset_of_its_last_durable_batch() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE readings (id INT PRIMARY KEY, v INT)");
      insertRows(db, 1, QUIET_SNAPSHOT_ROWS);
    }
    HeldAcknowledgements held = new HeldAcknowledgements(nodeAppender());
    OffsetWrites offsets = new OffsetWrites(held);
    KeyValueStore state = offsets.over(new MetadataKeyValueStore(server.store().metadata()));
    Run run = Run.start(task(held, state, ",\"offset.flush.interval.ms\":" + COMMIT_INTERVAL_MS));

    Await.until(
        "a second batch appended while the first is not yet acknowledged as durable",
        DEADLINE,
        () -> held.appended() >= 2);
    held.releaseOne();
    Await.until(
        "an offset commit after the first durable batch", DEADLINE, () -> offsets.writes() > 0);
    held.releaseAll();
    Await.until(
        "the snapshot in the stream",
        DEADLINE,
        () -> changes(client, "readings").size() >= QUIET_SNAPSHOT_ROWS);

    // Nothing changes in the database from here on, so Debezium polls no further batch: the end of
    // the snapshot is committed all the same (else a restart now would take the snapshot again).
    Await.until(
        "the end of the snapshot committed, with no change after it",
        DEADLINE,
        () -> !storedOffsets(state).isEmpty() && !storedOffsets(state).contains("\"snapshot\""));
    run.stop();
    assertThat(offsets.violations()).isEmpty();
  }

  private static String storedOffsets(KeyValueStore state) {
    return state.list(new ConnectorStateSpace(state, "held").offsets()).values().stream()
        .map(value -> new String(value, StandardCharsets.UTF_8))
        .collect(Collectors.joining("\n"));
  }

  /** {@code settings}: more JSON members for the connector's config, each after a comma. */
  private DebeziumSourceTask task(StreamAppender appender, KeyValueStore state, String settings) {
    String json = mariadbSource("readings", database, "readings");
    json =
        json.substring(0, json.length() - 1) + ",\"max.batch.size\":" + BATCH_ROWS + settings + "}";
    ConnectorConfig config =
        ConfigValidator.validate(
            ConnectorSpec.of(ConnectorType.SOURCE, Target.MARIADB),
            ConfigValidator.parseJson(json));
    return new DebeziumSourceTask(
        "held",
        config,
        "readings",
        1,
        appender,
        new StoreStreamProvisioner(server.store().streams()),
        new ConnectorStateSpace(state, "held"),
        new ConnectorStats());
  }

  private StreamAppender nodeAppender() {
    return new LocalStreamAppender(
        server.store(),
        new BatchValidator(server.config().batchLimits()),
        new AppendMetrics(new SimpleMeterRegistry()));
  }

  private static void insertRows(Connection db, int first, int count) throws Exception {
    for (int from = first; from < first + count; from += 1000) {
      StringBuilder sql = new StringBuilder("INSERT INTO readings VALUES ");
      for (int id = from; id < Math.min(first + count, from + 1000); id++) {
        sql.append(id == from ? "" : ",").append('(').append(id).append(',').append(id).append(')');
      }
      execute(db, sql.toString());
    }
  }

  /** A task on its own thread. */
  private record Run(DebeziumSourceTask task, Thread thread, AtomicReference<Throwable> failure) {
    static Run start(DebeziumSourceTask task) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  task.run(() -> {});
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              "held-source");
      thread.start();
      return new Run(task, thread, failure);
    }

    void stop() throws InterruptedException {
      task.stop();
      thread.join(DEADLINE.toMillis());
      assertThat(thread.isAlive()).isFalse();
      assertThat(failure.get()).isNull();
    }
  }

  /**
   * The node's appender, whose completions (the store's "durable") reach the connector only when
   * the test releases them, oldest first.
   */
  private static final class HeldAcknowledgements implements StreamAppender {
    private final StreamAppender store;
    private final ArrayDeque<Runnable> held = new ArrayDeque<>(); // guarded by this
    private final AtomicInteger appended = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private boolean passThrough; // guarded by this

    HeldAcknowledgements(StreamAppender store) {
      this.store = store;
    }

    @Override
    public CompletableFuture<AppendResult> append(
        String streamName, long shardId, BatchedRecord batch) {
      CompletableFuture<AppendResult> durable = store.append(streamName, shardId, batch);
      CompletableFuture<AppendResult> toConnector = new CompletableFuture<>();
      Runnable release =
          () ->
              durable.whenComplete(
                  (result, error) -> {
                    if (error != null) {
                      toConnector.completeExceptionally(error);
                    } else {
                      acknowledged.incrementAndGet();
                      toConnector.complete(result);
                    }
                  });
      appended.incrementAndGet();
      synchronized (this) {
        if (!passThrough) {
          held.add(release);
          return toConnector;
        }
      }
      release.run();
      return toConnector;
    }

    int appended() {
      return appended.get();
    }

    int acknowledged() {
      return acknowledged.get();
    }

    synchronized void releaseOne() {
      held.remove().run();
    }

    synchronized void releaseAll() {
      passThrough = true;
      while (!held.isEmpty()) {
        held.remove().run();
      }
    }

    @Override
    public long shardForKey(String streamName, String partitionKey) {
      return store.shardForKey(streamName, partitionKey);
    }
  }

  /** Counts writes to the offsets namespace, noting any made before a batch was acknowledged. */
  private static final class OffsetWrites {
    private final HeldAcknowledgements appender;
    private final AtomicInteger writes = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    OffsetWrites(HeldAcknowledgements appender) {
      this.appender = appender;
    }

    int writes() {
      return writes.get();
    }

    List<String> violations() {
      return violations;
    }

    KeyValueStore over(KeyValueStore store) {
      return new KeyValueStore() {
        @Override
        public void put(String namespace, String key, byte[] value) {
          observe(namespace);
          store.put(namespace, key, value);
        }

        @Override
        public Optional<byte[]> get(String namespace, String key) {
          return store.get(namespace, key);
        }

        @Override
        public boolean delete(String namespace, String key) {
          observe(namespace);
          return store.delete(namespace, key);
        }

        @Override
        public Map<String, byte[]> list(String namespace) {
          return store.list(namespace);
        }

        @Override
        public void apply(String namespace, Map<String, byte[]> puts, Collection<String> deletes) {
          observe(namespace);
          store.apply(namespace, puts, deletes);
        }
      };
    }

    private void observe(String namespace) {
      if (namespace.equals(new ConnectorStateSpace(null, "held").offsets())) {
        if (appender.acknowledged() == 0) {
          violations.add("offsets written before any batch was durable");
        }
        writes.incrementAndGet();
      }
    }
  }
}
