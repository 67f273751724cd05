package io.inlet.bridge.listener;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ingestor whose outcome depends on the topic: {@code unmatched/…} matches no rule, {@code
 * rejected/…} is rejected, {@code fail/…} fails as an unavailable store, {@code held/…} waits for
 * {@link #releaseHeld}; anything else is stored at once. Records what was stored.
 */
public final class TestIngestor implements MessageIngestor {
  private final List<InboundMessage> stored = new CopyOnWriteArrayList<>();
  private final List<Held> held = new ArrayList<>();
  private final AtomicLong lsn = new AtomicLong();

  private record Held(InboundMessage message, CompletableFuture<IngestOutcome> future) {}

  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    String topic = message.topic();
    if (topic.startsWith("unmatched/")) {
      return CompletableFuture.completedFuture(new IngestOutcome.NoMatchingRule(topic));
    }
    if (topic.startsWith("rejected/")) {
      return CompletableFuture.completedFuture(new IngestOutcome.Rejected("test", "not JSON"));
    }
    if (topic.startsWith("fail/")) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("disk full"));
    }
    if (topic.startsWith("held/")) {
      CompletableFuture<IngestOutcome> future = new CompletableFuture<>();
      synchronized (held) {
        held.add(new Held(message, future));
      }
      return future;
    }
    return CompletableFuture.completedFuture(store(message));
  }

  private IngestOutcome store(InboundMessage message) {
    stored.add(message);
    return new IngestOutcome.Stored("s", "r", 1, lsn.incrementAndGet(), 0);
  }

  /** How many held ingests wait. */
  public int heldCount() {
    synchronized (held) {
      return held.size();
    }
  }

  /**
   * Completes held ingest number {@code index} (in arrival order, of those still held) as stored.
   */
  public void releaseHeld(int index) {
    Held h;
    synchronized (held) {
      h = held.remove(index);
    }
    h.future.complete(store(h.message));
  }

  public void releaseAllHeld() {
    while (heldCount() > 0) {
      releaseHeld(0);
    }
  }

  public List<InboundMessage> stored() {
    return stored;
  }

  public List<String> storedPayloads() {
    List<String> out = new ArrayList<>();
    for (InboundMessage m : stored) {
      out.add(new String(m.payload(), StandardCharsets.UTF_8));
    }
    return out;
  }

  public long storedCount(String payload) {
    return storedPayloads().stream().filter(payload::equals).count();
  }
}
