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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A source connector's run: Debezium's async engine with its offsets and schema history in the
 * store, feeding {@link StreamChangeConsumer}. With {@code offset.flush.interval.ms=0} (Inlet's
 * default) the offsets are committed after every batch, once the batch is durable.
 */
public final class DebeziumSourceTask implements ConnectorTask {
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
    try {
      Properties props = DebeziumProperties.engine(name, config, stateId);
      DebeziumEngine.Builder<RecordChangeEvent<SourceRecord>> builder =
          new ConvertingAsyncEngineBuilderFactory()
              .<SourceRecord, Connect>builder(ChangeEventFormat.of(Connect.class))
              .using(props)
              .notifying(new StreamChangeConsumer(appender, stream, stats))
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
                      failure.set(error != null ? error : new IllegalStateException(message));
                    }
                  });
      if (config.getLong("offset.flush.interval.ms") == 0) {
        builder.using(OffsetCommitPolicy.always());
      }
      DebeziumEngine<RecordChangeEvent<SourceRecord>> built = builder.build();
      engine.set(built);
      if (!stopped) {
        built.run();
      }
      close(built);
    } finally {
      engine.set(null);
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
    DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine.get();
    if (running != null) {
      close(running);
    }
  }

  private static void close(DebeziumEngine<?> engine) {
    try {
      engine.close();
    } catch (IOException | RuntimeException e) {
      // Closing twice or while failing: the run's outcome is what counts.
    }
  }
}
