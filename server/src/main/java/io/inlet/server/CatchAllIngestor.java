package io.inlet.server;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.bridge.ingest.InboundMessage;
import io.inlet.bridge.ingest.IngestOutcome;
import io.inlet.bridge.ingest.MessageIngestor;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Stand-in for the mapping rules until they land: every message goes to the stream {@value #STREAM}
 * (created when missing), keyed by client id, payload as raw bytes, with attributes {@code
 * mqtt.topic}, {@code mqtt.clientId}, {@code mqtt.qos}. Replace with the rules engine.
 */
final class CatchAllIngestor implements MessageIngestor {
  static final String STREAM = "mqtt";

  private final StreamAppender appender;

  private CatchAllIngestor(StreamAppender appender) {
    this.appender = appender;
  }

  /** Creates the stream when it does not exist (blocking: call at startup). */
  static CatchAllIngestor create(StreamStore store, StreamAppender appender) {
    if (store.streams().get(STREAM).isEmpty()) {
      try {
        store.streams().create(new StreamSpec(STREAM, 1, 1, 0));
      } catch (InletException e) {
        if (e.code() != ErrorCode.StreamExists) {
          throw e;
        }
      }
    }
    return new CatchAllIngestor(appender);
  }

  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    try {
      String key = message.clientId();
      Map<String, String> attributes =
          Map.of(
              "mqtt.topic", message.topic(),
              "mqtt.clientId", message.clientId(),
              "mqtt.qos", Integer.toString(message.qos()));
      long shard = appender.shardForKey(STREAM, key);
      return appender
          .append(
              STREAM,
              shard,
              RecordBatches.encode(
                  List.of(HStreamRecords.raw(key, message.payload(), attributes)),
                  CompressionType.None))
          .thenApply(r -> new IngestOutcome.Stored(STREAM, "catch-all", r.shardId(), r.lsn(), 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
