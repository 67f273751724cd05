package io.inlet.emqx;

import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.store.StoredBatch;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A small rule set for tests, on a real store: topics under {@code skip/} match no rule, topics
 * under {@code bad/} are rejected, everything else is stored as one RAW record in stream {@value
 * #STREAM}, keyed by client id, with the MQTT metadata as attributes.
 */
final class StoreIngestor implements MessageIngestor {
  static final String STREAM = "emqx";

  private final StreamStore store;

  StoreIngestor(StreamStore store) {
    this.store = store;
    store.streams().create(new StreamSpec(STREAM, 2, 1, 0));
  }

  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    if (message.topic().startsWith("skip/")) {
      return CompletableFuture.completedFuture(new IngestOutcome.NoMatchingRule(message.topic()));
    }
    if (message.topic().startsWith("bad/")) {
      return CompletableFuture.completedFuture(
          new IngestOutcome.Rejected("bad", "payload is not a JSON object"));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("mqtt.topic", message.topic());
    attributes.put("mqtt.clientId", message.clientId());
    attributes.put("mqtt.qos", Integer.toString(message.qos()));
    attributes.put("mqtt.retain", Boolean.toString(message.retain()));
    attributes.put("source", message.source());
    if (message.username() != null) {
      attributes.put("mqtt.username", message.username());
    }
    if (message.contentType() != null) {
      attributes.put("mqtt.contentType", message.contentType());
    }
    for (Map.Entry<String, String> property : message.userProperties()) {
      attributes.put("mqtt.user." + property.getKey(), property.getValue());
    }
    HStreamRecord record = HStreamRecords.raw(message.clientId(), message.payload(), attributes);
    long shardId = store.streams().shardForKey(STREAM, message.clientId()).shardId();
    return store
        .log()
        .append(STREAM, shardId, RecordBatches.encode(List.of(record), CompressionType.None))
        .thenApply(r -> new IngestOutcome.Stored(STREAM, "all", shardId, r.lsn(), 0));
  }

  /** Every record of the stream, shard by shard, as a reader sees it now. */
  List<HStreamRecord> records() {
    List<HStreamRecord> records = new ArrayList<>();
    for (var shard : store.streams().get(STREAM).orElseThrow().shards()) {
      for (StoredBatch batch : store.log().read(shard.shardId(), 0, 10_000)) {
        records.addAll(RecordBatches.decode(batch.batch()));
      }
    }
    return records;
  }

  /** The record stored as {@code stored}, read back from the store. */
  HStreamRecord read(IngestOutcome.Stored stored) {
    List<StoredBatch> batches = store.log().read(stored.shardId(), stored.batchId(), 1);
    if (batches.isEmpty() || batches.get(0).lsn() != stored.batchId()) {
      throw new AssertionError("batch " + stored.batchId() + " is not readable");
    }
    return RecordBatches.decode(batches.get(0).batch()).get(stored.batchIndex());
  }
}
