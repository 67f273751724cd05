package io.inlet.store.segment;

import java.util.concurrent.CompletableFuture;

/**
 * An append ({@code entry} set), a truncation after {@code truncateAfter}, the deletion of the
 * shard ({@code truncateAfter} {@link #DELETE}), or its deletion and a new start at LSN {@code
 * restartAt} (above 0).
 */
record PendingWrite(
    long shardId,
    SegmentEntry entry,
    long truncateAfter,
    long restartAt,
    CompletableFuture<Long> done,
    long submittedNanos)
    implements SharedJournal.SegmentEntryOf {
  /** The {@code truncateAfter} of a shard's deletion. */
  static final long DELETE = -1;

  PendingWrite(long shardId, SegmentEntry entry, long truncateAfter, CompletableFuture<Long> done) {
    this(shardId, entry, truncateAfter, 0, done, System.nanoTime());
  }

  PendingWrite(
      long shardId,
      SegmentEntry entry,
      long truncateAfter,
      long restartAt,
      CompletableFuture<Long> done) {
    this(shardId, entry, truncateAfter, restartAt, done, System.nanoTime());
  }

  boolean truncation() {
    return entry == null;
  }
}
