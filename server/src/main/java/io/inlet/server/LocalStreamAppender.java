package io.inlet.server;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link StreamAppender} bound to the local store. Checks what every ingress must respect (a
 * non-empty batch within max-record-size, a shard of the named stream) before the store sees the
 * batch.
 */
public final class LocalStreamAppender implements StreamAppender {
  private final StreamStore store;
  private final int maxRecordSize;
  private final AppendMetrics metrics;

  public LocalStreamAppender(StreamStore store, int maxRecordSize, AppendMetrics metrics) {
    this.store = store;
    this.maxRecordSize = maxRecordSize;
    this.metrics = metrics;
  }

  @Override
  public CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
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
      validate(batch, maxRecordSize);
      StreamInfo info = stream.orElseThrow(() -> InletException.streamNotFound(streamName));
      boolean ownShard = false;
      for (ShardInfo shard : info.shards()) {
        ownShard |= shard.shardId() == shardId;
      }
      if (!ownShard) {
        throw new InletException(
            ErrorCode.StreamNotFound,
            "shard "
                + Long.toUnsignedString(shardId)
                + " does not belong to stream \""
                + streamName
                + "\" (see ListShards)");
      }
      appended = store.log().append(streamName, shardId, batch);
    } catch (RuntimeException e) {
      appended = CompletableFuture.failedFuture(e);
    }
    if (stream.isEmpty()) {
      return appended;
    }
    // The returned stage completes after the failure is counted, so whoever sees it sees the count.
    return appended.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            metrics.failed(streamName, reasonOf(failure));
          }
        });
  }

  private static AppendMetrics.Reason reasonOf(Throwable failure) {
    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
    return cause instanceof StoreUnavailableException
        ? AppendMetrics.Reason.UNAVAILABLE
        : AppendMetrics.Reason.INVALID;
  }

  @Override
  public long shardForKey(String streamName, String partitionKey) {
    return store.streams().shardForKey(streamName, partitionKey).shardId();
  }

  /**
   * @throws InletException StreamEmptyBatchedRecord or StreamInvalidRecordSize
   */
  static void validate(BatchedRecord batch, int maxRecordSize) {
    if (batch.getBatchSize() == 0) {
      throw InletException.invalidArgument(
          ErrorCode.StreamEmptyBatchedRecord, "batchSize must be at least 1, found: 0");
    }
    if (batch.getPayload().isEmpty()) {
      throw InletException.invalidArgument(
          ErrorCode.StreamEmptyBatchedRecord, "the batch's payload is empty");
    }
    if (batch.getPayload().size() > maxRecordSize) {
      throw InletException.invalidArgument(
          ErrorCode.StreamInvalidRecordSize,
          "the batch's payload is "
              + batch.getPayload().size()
              + " bytes, more than max-record-size ("
              + maxRecordSize
              + " bytes)");
    }
  }
}
