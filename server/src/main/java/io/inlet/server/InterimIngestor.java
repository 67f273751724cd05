package io.inlet.server;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.bridge.ingest.InboundMessage;
import io.inlet.bridge.ingest.IngestOutcome;
import io.inlet.bridge.ingest.MessageIngestor;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Stand-in for the mapping rules until the rule-based ingestor is wired in: stores every message as
 * one RAW record of stream {@value #STREAM} (created with one shard on first use), keyed by client
 * id, with the topic, client id, QoS and retain flag as attributes. Replace it with the rule-based
 * {@link MessageIngestor} when that lands; nothing else depends on it.
 */
final class InterimIngestor implements MessageIngestor {
  static final String STREAM = "mqtt";

  private final StreamStore store;
  private final StreamAppender appender;
  private volatile boolean streamExists;

  InterimIngestor(StreamStore store, StreamAppender appender) {
    this.store = store;
    this.appender = appender;
  }

  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    try {
      ensureStream();
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("mqtt.topic", message.topic());
      attributes.put("mqtt.clientId", message.clientId());
      attributes.put("mqtt.qos", Integer.toString(message.qos()));
      attributes.put("mqtt.retain", Boolean.toString(message.retain()));
      HStreamRecord record = HStreamRecords.raw(message.clientId(), message.payload(), attributes);
      long shardId = appender.shardForKey(STREAM, message.clientId());
      return appender
          .append(STREAM, shardId, RecordBatches.encode(List.of(record), CompressionType.None))
          .thenApply(r -> new IngestOutcome.Stored(STREAM, "interim", shardId, r.lsn(), 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One metadata write, the first time only. */
  private void ensureStream() {
    if (streamExists) {
      return;
    }
    synchronized (this) {
      if (store.streams().get(STREAM).isEmpty()) {
        try {
          store.streams().create(new StreamSpec(STREAM, 1, 1, 0));
        } catch (InletException e) {
          if (e.code() != ErrorCode.StreamExists) {
            throw e;
          }
        }
      }
      streamExists = true;
    }
  }
}
