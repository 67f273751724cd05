package io.inlet.cdc.source;

import io.debezium.embedded.Connect;
import io.debezium.embedded.async.ConvertingAsyncEngineBuilderFactory;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.runtime.ConnectorTask;
import io.inlet.cdc.state.ConnectorStateSpace;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A source connector's run: Debezium's async engine with its offsets and schema history in the
 * store, feeding {@link StreamChangeConsumer}. Offsets are committed by an {@link
 * OffsetCommitQueue} once the records they cover are durable, off the engine's poll loop and
 * whether or not the engine polls again: with {@code offset.flush.interval.ms=0} (Inlet's default)
 * after every batch or run of batches that became durable together, otherwise at most once per
 * interval and at the latest one interval after the batch became durable. The engine itself commits
 * whenever the queue finishes a batch ({@link OffsetCommitPolicy#always()}). Stopping waits briefly
 * for the batches in flight to be marked; the engine's close commits them. A change stream that
 * stays disconnected from the database fails the run ({@link StreamingConnectionWatch}).
 */
public final class DebeziumSourceTask implements ConnectorTask {
  private static final long STOP_DRAIN_SECONDS = 10;
  private final String name;
  private final ConnectorConfig config;
  private final String stream;
  private final int shards;
  private final StreamAppender appender;
  private final StreamProvisioner provisioner;
  private final ConnectorStateSpace state;
  private final ConnectorStats stats;
  private final AtomicReference<DebeziumEngine<RecordChangeEvent<SourceRecord>>> engine =
      new AtomicReference<>();
  private final AtomicReference<OffsetCommitQueue<RecordChangeEvent<SourceRecord>>> commits =
      new AtomicReference<>();
  private volatile boolean stopped;

  public DebeziumSourceTask(
      String name,
      ConnectorConfig config,
      String stream,
      int shards,
      StreamAppender appender,
      StreamProvisioner provisioner,
      ConnectorStateSpace state,
      ConnectorStats stats) {
    this.name = name;
    this.config = config;
    this.stream = stream;
    this.shards = shards;
    this.appender = appender;
    this.provisioner = provisioner;
    this.state = state;
    this.stats = stats;
  }

  @Override
  public void run(Runnable running) throws Exception {
    if (!provisioner.exists(stream)) {
      provisioner.create(stream, shards);
    }
    String stateId = name + "/" + UUID.randomUUID();
    StateHandles.register(stateId, state);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ScheduledExecutorService watchdog = null;
    OffsetCommitQueue<RecordChangeEvent<SourceRecord>> queue =
        new OffsetCommitQueue<>(
            name,
            Duration.ofMillis(config.getLong("offset.flush.interval.ms")),
            error -> {
              failure.compareAndSet(null, error);
              DebeziumEngine<?> started = engine.get();
              if (started != null) {
                close(started);
              }
            });
    commits.set(queue);
    try {
      Properties props = DebeziumProperties.engine(name, config, stateId);
      DebeziumEngine.Builder<RecordChangeEvent<SourceRecord>> builder =
          new ConvertingAsyncEngineBuilderFactory()
              .<SourceRecord, Connect>builder(ChangeEventFormat.of(Connect.class))
              .using(props)
              .notifying(new StreamChangeConsumer(appender, stream, stats, queue))
              .using(
                  new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                      running.run();
                    }
                  })
              .using(
                  (success, message, error) -> {
                    if (!success) {
                      failure.compareAndSet(
                          null, error != null ? error : new IllegalStateException(message));
                    }
                  })
              // The queue decides when to commit: each markBatchFinished it makes is a commit.
              .using(OffsetCommitPolicy.always());
      DebeziumEngine<RecordChangeEvent<SourceRecord>> built = builder.build();
      engine.set(built);
      StreamingConnectionWatch watch =
          new StreamingConnectionWatch(
              name,
              reason -> {
                failure.compareAndSet(null, new DatabaseConnectionLostException(reason));
                close(built);
              });
      watchdog = Executors.newSingleThreadScheduledExecutor(r -> watchThread(r));
      watchdog.scheduleWithFixedDelay(watch::check, 1, 1, TimeUnit.SECONDS);
      if (!stopped) {
        built.run();
      }
      close(built);
    } finally {
      if (watchdog != null) {
        // Not shutdownNow: a watch that is closing the engine must finish closing it.
        watchdog.shutdown();
        watchdog.awaitTermination(60, TimeUnit.SECONDS);
      }
      engine.set(null);
      commits.set(null);
      queue.close();
      StateHandles.unregister(stateId);
    }
    Throwable error = failure.get();
    if (error != null && !stopped) {
      throw error instanceof Exception e ? e : new RuntimeException(error);
    }
  }

  @Override
  public void stop() {
    stopped = true;
    OffsetCommitQueue<RecordChangeEvent<SourceRecord>> queue = commits.get();
    if (queue != null) {
      try {
        // Commit what is durable already, so a restart does not read it again; the engine's own
        // final commit (on close) covers only records marked processed, i.e. durable ones.
        queue.drain(STOP_DRAIN_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine.get();
    if (running != null) {
      close(running);
    }
  }

  private Thread watchThread(Runnable r) {
    Thread t = new Thread(r, "inlet-connector-watch-" + name);
    t.setDaemon(true);
    return t;
  }

  private static void close(DebeziumEngine<?> engine) {
    try {
      engine.close();
    } catch (IOException | RuntimeException e) {
      // Closing twice or while failing: the run's outcome is what counts.
    }
  }

  /** The database's change stream stayed disconnected (see {@link StreamingConnectionWatch}). */
  static final class DatabaseConnectionLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DatabaseConnectionLostException(String message) {
      super(message);
    }
  }
}
