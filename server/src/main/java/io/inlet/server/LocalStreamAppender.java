package io.inlet.server;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.record.BatchLimits;
import io.inlet.api.record.BatchValidator;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.grpc.StoreErrorMapping;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.store.StoreException;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@link StreamAppender} bound to the local store. Checks what every ingress must respect (a
 * batch's envelope within the {@link BatchLimits}) before the store sees the batch; batches from
 * clients ({@link #appendClientBatch}) are checked whole. The store keeps each batch as an opaque
 * entry ({@link BatchEntries}, sharing the batch's payload bytes). The store checks that the shard
 * belongs to the stream. The store's refusals reach callers as {@link InletException} ({@link
 * StoreErrorMapping}).
 */
public final class LocalStreamAppender implements StreamAppender {
  private final StreamStore store;
  private final BatchValidator validator;
  private final AppendMetrics metrics;

  public LocalStreamAppender(StreamStore store, BatchValidator validator, AppendMetrics metrics) {
    this.store = store;
    this.validator = validator;
    this.metrics = metrics;
  }

  /**
   * {@inheritDoc}
   *
   * <p>For batches Inlet built itself (MQTT, ExHook): only the envelope is checked ({@link
   * BatchValidator#checkEnvelope}); the payload is trusted.
   */
  @Override
  public CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
    return append(streamName, shardId, batch, validator::checkEnvelope);
  }

  /**
   * Appends a batch a client built (gRPC Append), after checking all of it ({@link
   * BatchValidator#validate}): nothing that fails consumes an LSN or reaches the store. Completes
   * as {@link #append} does.
   */
  public CompletableFuture<AppendResult> appendClientBatch(
      String streamName, long shardId, BatchedRecord batch) {
    return append(streamName, shardId, batch, validator::validate);
  }

  private CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch, Consumer<BatchedRecord> check) {
    Optional<StreamInfo> stream;
    try {
      stream = store.streams().get(streamName);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Only requests to existing streams are counted, so that labels stay bounded.
    stream.ifPresent(s -> metrics.requested(streamName));
    CompletableFuture<AppendResult> appended;
    try {
      if (stream.isEmpty()) {
        throw InletException.streamNotFound(streamName);
      }
      check.accept(batch);
      appended = store.log().append(streamName, shardId, BatchEntries.entry(batch));
    } catch (RuntimeException e) {
      appended = CompletableFuture.failedFuture(e);
    }
    if (stream.isEmpty()) {
      return appended;
    }
    // The returned stage completes after the failure is counted, so whoever sees it sees the count.
    return appended.handle(
        (result, failure) -> {
          if (failure == null) {
            return result;
          }
          Throwable cause = StoreErrorMapping.toDomain(failure);
          metrics.failed(streamName, reasonOf(cause));
          throw new CompletionException(cause);
        });
  }

  private static AppendMetrics.Reason reasonOf(Throwable cause) {
    return cause instanceof StoreUnavailableException
        ? AppendMetrics.Reason.UNAVAILABLE
        : AppendMetrics.Reason.INVALID;
  }

  @Override
  public long shardForKey(String streamName, String partitionKey) {
    try {
      return store.streams().shardForKey(streamName, partitionKey).shardId();
    } catch (StoreException e) {
      throw StoreErrorMapping.toInlet(e);
    }
  }
}
