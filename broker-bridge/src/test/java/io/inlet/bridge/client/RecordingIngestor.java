package io.inlet.bridge.client;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written {@link MessageIngestor} that "stores" messages in a list, and fails the first
 * attempt of chosen payloads as a broken store would.
 */
final class RecordingIngestor implements MessageIngestor {
  private final List<InboundMessage> stored = new ArrayList<>();
  private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
  private int attempts;

  void failFirstAttemptOf(String payload) {
    failOnce.add(payload);
  }

  @Override
  public synchronized CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    attempts++;
    String payload = new String(message.payload(), StandardCharsets.UTF_8);
    if (failOnce.remove(payload)) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("disk full"));
    }
    stored.add(message);
    return CompletableFuture.completedFuture(
        new IngestOutcome.Stored("s", "r", 1, stored.size(), 0));
  }

  synchronized List<String> payloads() {
    List<String> payloads = new ArrayList<>();
    stored.forEach(m -> payloads.add(new String(m.payload(), StandardCharsets.UTF_8)));
    return payloads;
  }

  synchronized List<InboundMessage> messages() {
    return List.copyOf(stored);
  }

  synchronized int attempts() {
    return attempts;
  }
}
