package io.inlet.server;

import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.util.concurrent.CompletableFuture;

/**
 * {@link StreamAppender} bound to the local store. Checks what every ingress must respect (a
 * non-empty batch within max-record-size, a shard of the named stream) before the store sees the
 * batch.
 */
public final class LocalStreamAppender implements StreamAppender {
  private final StreamStore store;
  private final int maxRecordSize;

  public LocalStreamAppender(StreamStore store, int maxRecordSize) {
    this.store = store;
    this.maxRecordSize = maxRecordSize;
  }

  @Override
  public CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
    try {
      validate(batch, maxRecordSize);
      StreamInfo stream =
          store
              .streams()
              .get(streamName)
              .orElseThrow(() -> InletException.streamNotFound(streamName));
      boolean ownShard = false;
      for (ShardInfo shard : stream.shards()) {
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
      return store.log().append(streamName, shardId, batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
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
