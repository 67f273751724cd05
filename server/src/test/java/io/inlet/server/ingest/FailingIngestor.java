package io.inlet.server.ingest;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.ingest.IngestOutcome;
import io.inlet.api.ingest.MessageIngestor;
import java.util.concurrent.CompletableFuture;

/** A store that cannot write (full disk): every ingest fails. */
final class FailingIngestor implements MessageIngestor {
  @Override
  public CompletableFuture<IngestOutcome> ingest(InboundMessage message) {
    return CompletableFuture.failedFuture(
        new StoreUnavailableException("the store cannot write: No space left on device"));
  }
}
