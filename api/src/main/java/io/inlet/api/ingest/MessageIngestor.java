package io.inlet.api.ingest;

import java.util.concurrent.CompletableFuture;

/**
 * Turns inbound MQTT messages into stream records through the mapping rules, and appends them with
 * the {@link io.inlet.api.append.StreamAppender}. Every MQTT path uses it, so all paths map alike.
 *
 * <p>Thread-safe; never blocks the caller (the MQTT listener calls it on an event loop).
 */
public interface MessageIngestor {

  /**
   * Maps and appends one message.
   *
   * <p>Completes with {@link IngestOutcome.Stored} only once the record is durable: that is when a
   * PUBACK/PUBREC, an upstream ack or an ExHook answer may be sent. Completes with {@link
   * IngestOutcome.NoMatchingRule} or {@link IngestOutcome.Rejected} when nothing was stored because
   * of the message itself (retrying will not help). Completes exceptionally when the store failed
   * (e.g. {@link io.inlet.api.error.StoreUnavailableException}); the message was not stored and may
   * be retried.
   */
  CompletableFuture<IngestOutcome> ingest(InboundMessage message);
}
