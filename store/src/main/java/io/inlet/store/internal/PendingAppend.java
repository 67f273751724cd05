package io.inlet.store.internal;

import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import java.util.concurrent.CompletableFuture;

/**
 * An append waiting for the writer. {@code requestedLsn} is 0 when the store picks the LSN, or the
 * LSN a replication layer has already chosen (see {@link RocksShardLog#appendAt}).
 */
final class PendingAppend implements WriterOp {
  final ShardState shard;
  final BatchedRecord batch;
  final long requestedLsn;
  final int valueLength;
  final CompletableFuture<AppendResult> future = new CompletableFuture<>();

  // writer thread only: the LSN given, and whether this group must write the batch
  long lsn;
  boolean mustWrite;

  PendingAppend(ShardState shard, BatchedRecord batch, long requestedLsn) {
    this.shard = shard;
    this.batch = batch;
    this.requestedLsn = requestedLsn;
    this.valueLength = BatchValue.length(batch);
  }

  AppendResult result() {
    return new AppendResult(shard.streamName, shard.shardId, lsn, batch.getBatchSize());
  }
}
