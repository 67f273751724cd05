package io.inlet.store;

import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The batches of every shard, by LSN. Appends to one shard get consecutive LSNs in the order the
 * store accepts them; concurrent appends share one write and one fsync (group commit).
 */
public interface ShardLog {

  /**
   * Appends a batch as received. Completes once durable (WAL fsync'd) with the batch's LSN; fails
   * with {@link StoreException} for an unknown stream or a shard not in it, with
   * StoreUnavailableException when the write fails (nothing is then visible to readers). The batch
   * is stored as given: callers check it first (it holds at least one record).
   */
  CompletableFuture<AppendResult> append(String streamName, long shardId, BatchedRecord batch);

  /** Up to {@code maxBatches} durable batches with LSN >= fromLsn, in LSN order. */
  List<StoredBatch> read(long shardId, long fromLsn, int maxBatches);

  /**
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  ShardPosition position(long shardId);

  /**
   * The LSN of the first batch appended at or after {@code timestampMs}, or {@code lastLsn + 1}
   * when there is none.
   */
  long lsnAtOrAfter(long shardId, long timestampMs);

  /**
   * Completes when the shard's lastLsn exceeds {@code lsn} (at once if it already does). Fails with
   * StoreUnavailableException when the store closes.
   */
  CompletableFuture<Void> awaitBeyond(long shardId, long lsn);

  /** Deletes every batch with LSN < {@code lsn}; durable when it returns. */
  void trimBefore(long shardId, long lsn);
}
