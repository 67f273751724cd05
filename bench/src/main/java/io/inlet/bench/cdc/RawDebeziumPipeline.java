package io.inlet.bench.cdc;

import io.debezium.embedded.Connect;
import io.debezium.embedded.async.ConvertingAsyncEngineBuilderFactory;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The baseline: Debezium's own async embedded engine with the MariaDB connector and the same
 * connector settings Inlet uses by default, offsets and schema history in memory, and a consumer
 * that only reads each change's {@code at_ms} and marks it processed.
 */
final class RawDebeziumPipeline implements CdcPipeline {
  private final Properties props;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-raw-debezium"));
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

  RawDebeziumPipeline(String host, int port, String database) {
    props = new Properties();
    props.setProperty("name", "raw-debezium");
    props.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
    props.setProperty("topic.prefix", "raw-debezium");
    props.setProperty("database.hostname", host);
    props.setProperty("database.port", Integer.toString(port));
    props.setProperty("database.user", "inlet_cdc");
    props.setProperty("database.password", "inlet_cdc");
    props.setProperty("database.include.list", database);
    props.setProperty("table.include.list", database + "." + BenchTable.TABLE);
    props.setProperty("database.server.id", "6401");
    // Inlet's defaults for the same keys (cdc module, ConnectorSpec).
    props.setProperty("snapshot.mode", "initial");
    props.setProperty("max.batch.size", "2048");
    props.setProperty("max.queue.size", "8192");
    props.setProperty("decimal.handling.mode", "string");
    props.setProperty("tombstones.on.delete", "false");
    props.setProperty("include.schema.changes", "false");
    props.setProperty("errors.max.retries", "0");
    props.setProperty("offset.flush.interval.ms", "0");
    props.setProperty(
        "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty(
        "schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
  }

  @Override
  public String name() {
    return "Debezium engine, no-op consumer";
  }

  @Override
  public void start(Arrivals arrivals) {
    engine =
        new ConvertingAsyncEngineBuilderFactory()
            .<SourceRecord, Connect>builder(ChangeEventFormat.of(Connect.class))
            .using(props)
            .using(OffsetCommitPolicy.always())
            .notifying(
                (List<RecordChangeEvent<SourceRecord>> events,
                    DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
                  for (RecordChangeEvent<SourceRecord> event : events) {
                    if (event.record().value() instanceof Struct envelope
                        && envelope.schema().field("after") != null
                        && envelope.get("after") instanceof Struct after) {
                      arrivals.arrived(after.getInt64("at_ms"));
                    }
                    committer.markProcessed(event);
                  }
                  committer.markBatchFinished();
                })
            .build();
    executor.execute(engine);
  }

  @Override
  public void close() throws Exception {
    if (engine != null) {
      engine.close();
    }
    executor.shutdown();
    executor.awaitTermination(60, TimeUnit.SECONDS);
  }
}
