package io.inlet.server.ingest;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.api.record.BatchLimits;
import io.inlet.api.record.BatchValidator;
import io.inlet.api.record.RecordBatches;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.bridge.rules.PayloadMode;
import io.inlet.server.LocalStreamAppender;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.store.StoreOptions;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's real MQTT ingest path for tests of the ExHook provider: the rule-based ingestor of
 * {@link MqttIngest} over the local appender and a real store, with rules that give each outcome a
 * topic of its own: {@code skip/...} matches no rule, {@code bad/...} takes JSON objects only (so a
 * non-JSON payload is rejected), and {@code sensors/}, {@code factory/}, {@code s/} and {@code
 * alerts/} topics are stored in stream {@value #STREAM}, keyed by client id.
 */
final class RealIngest implements AutoCloseable {
  static final String STREAM = "emqx";

  private final StreamStore store;
  private final MqttIngest ingest;

  RealIngest(Path dir) {
    // the store's public entry point is seams-store's to add; until then the one the server uses
    store = StreamStore.open(StoreOptions.defaults(dir.resolve("data")));
    LocalStreamAppender appender =
        new LocalStreamAppender(
            store,
            new BatchValidator(new BatchLimits(1 << 20, 64 << 20, 10_000)),
            new AppendMetrics(new SimpleMeterRegistry()));
    List<MappingRule> rules = new ArrayList<>();
    rules.add(
        MappingRule.builder("bad").topic("bad/#").stream(STREAM)
            .payload(PayloadMode.JSON)
            .shards(2)
            .build());
    for (String prefix : List.of("sensors", "factory", "s", "alerts")) {
      rules.add(MappingRule.builder(prefix).topic(prefix + "/#").stream(STREAM).shards(2).build());
    }
    ingest = MqttIngest.open(store, appender, new RoutingConfig(Optional.of(rules), List.of()));
  }

  MessageIngestor ingestor() {
    return ingest.ingestor();
  }

  /** Every record of the stream, shard by shard, as a reader sees it now; none before it exists. */
  List<HStreamRecord> records() {
    List<HStreamRecord> records = new ArrayList<>();
    var stream = store.streams().get(STREAM);
    if (stream.isEmpty()) {
      return records;
    }
    for (var shard : stream.get().shards()) {
      for (StoredEntry batch : store.log().read(shard.shardId(), 0, 10_000)) {
        records.addAll(RecordBatches.decode(BatchEntries.batch(batch)));
      }
    }
    return records;
  }

  /** The record stored as {@code stored}, read back from the store. */
  HStreamRecord read(IngestOutcome.Stored stored) {
    List<StoredEntry> batches = store.log().read(stored.shardId(), stored.batchId(), 1);
    if (batches.isEmpty() || batches.get(0).lsn() != stored.batchId()) {
      throw new AssertionError("batch " + stored.batchId() + " is not readable");
    }
    return RecordBatches.decode(BatchEntries.batch(batches.get(0))).get(stored.batchIndex());
  }

  @Override
  public void close() {
    ingest.close();
    store.close();
  }
}
