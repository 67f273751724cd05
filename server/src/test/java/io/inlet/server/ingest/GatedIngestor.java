package io.inlet.server.ingest;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Holds every message until the test releases it, then hands it to the delegate: the test decides
 * when an append may start, and so can observe what happens before it is durable.
 */
final class GatedIngestor implements MessageIngestor {
  private final MessageIngestor delegate;
  private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();

  record Held(InboundMessage message, CompletableFuture<IngestOutcome> outcome) {}

  GatedIngestor(MessageIngestor delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    CompletableFuture<IngestOutcome> outcome = new CompletableFuture<>();
    held.add(new Held(message, outcome));
    return outcome;
  }

  /** Waits for the next message handed to this ingestor. */
  Held next() throws InterruptedException {
    Held h = held.poll(10, TimeUnit.SECONDS);
    if (h == null) {
      throw new AssertionError("no message reached the ingestor within 10 s");
    }
    return h;
  }

  /** Lets a held message through to the delegate; its outcome completes with the delegate's. */
  CompletableFuture<IngestOutcome> release(Held h) {
    delegate
        .ingest(h.message())
        .whenComplete(
            (outcome, error) -> {
              if (error != null) {
                h.outcome().completeExceptionally(error);
              } else {
                h.outcome().complete(outcome);
              }
            });
    return h.outcome();
  }
}
