package io.inlet.store;

import io.inlet.api.append.AppendResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The entries of every shard, by LSN. Appends to one shard get consecutive LSNs in the order the
 * store accepts them; concurrent appends share one write and one fsync (group commit).
 *
 * <p>An {@link Entry} is opaque to the store: bytes, a record count and a format tag. What the
 * bytes mean (HStreamDB's {@code BatchedRecord}, its compression and records) is decided and
 * checked by the edges that append and read them; this log neither knows nor checks it.
 */
public interface ShardLog {

  /**
   * Appends an entry as given. Completes once durable (WAL fsync'd) with the entry's LSN and record
   * count; fails with {@link StoreException} for an unknown stream or a shard not in it, with
   * StoreUnavailableException when the write fails (nothing is then visible to readers). The entry
   * is stored as given: callers check its payload first (it holds at least one record).
   */
  CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry);

  /**
   * Up to {@code maxBatches} durable entries with LSN >= fromLsn, in LSN order, each with the time
   * it was appended.
   */
  List<StoredEntry> read(long shardId, long fromLsn, int maxBatches);

  /**
   * @throws StoreException SHARD_NOT_FOUND for an unknown shard
   */
  ShardPosition position(long shardId);

  /**
   * The LSN of the first entry appended at or after {@code timestampMs}, or {@code lastLsn + 1}
   * when there is none.
   */
  long lsnAtOrAfter(long shardId, long timestampMs);

  /**
   * Completes when the shard's lastLsn exceeds {@code lsn} (at once if it already does). Fails with
   * StoreUnavailableException when the store closes.
   */
  CompletableFuture<Void> awaitBeyond(long shardId, long lsn);

  /** Deletes every entry with LSN < {@code lsn}; durable when it returns. */
  void trimBefore(long shardId, long lsn);
}
