package io.inlet.store.internal;

import io.inlet.api.append.AppendResult;
import io.inlet.store.Entry;
import java.util.concurrent.CompletableFuture;

/**
 * An append waiting for the writer. {@code requestedLsn} is 0 when the store picks the LSN, or the
 * LSN a replication layer has already chosen (see {@link RocksShardLog#appendAt}).
 */
final class PendingAppend implements WriterOp {
  final ShardState shard;
  final Entry entry;
  final long requestedLsn;
  final int valueLength;
  final CompletableFuture<AppendResult> future = new CompletableFuture<>();
  final long submittedNanos = System.nanoTime();

  // writer thread only: the LSN given, and whether this group must write the entry
  long lsn;
  boolean mustWrite;

  PendingAppend(ShardState shard, Entry entry, long requestedLsn) {
    this.shard = shard;
    this.entry = entry;
    this.requestedLsn = requestedLsn;
    this.valueLength = EntryValue.length(entry);
  }

  AppendResult result() {
    return new AppendResult(shard.streamName, shard.shardId, lsn, entry.recordCount());
  }
}
