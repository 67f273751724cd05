package io.inlet.store.internal;

import io.inlet.store.ShardPosition;
import java.util.concurrent.CompletableFuture;

/**
 * What the store knows of one shard in memory. Positions are kept apart by meaning:
 *
 * <ul>
 *   <li>{@code appendedLsn}: the last LSN the writer has assigned, possibly not yet on disk. Only
 *       the writer thread touches it.
 *   <li>{@code durableLsn}: the last LSN fsync'd; the only one readers and acks see. It advances
 *       only after the write that holds the batch succeeded.
 *   <li>{@code firstLsn}: the oldest LSN not trimmed.
 * </ul>
 *
 * And two the writer keeps so that an LSN is never handed out twice ({@link LsnFloors}): {@code
 * committedLsn}, the last LSN a successful write consumed (where {@code appendedLsn} falls back to
 * when a write fails), and {@code floorLsn}, up to which LSNs may be handed out before the floor in
 * the store marker must be raised.
 *
 * <p>A replicated log would add a third, "committed by the group", next to {@code durableLsn}.
 */
final class ShardState {
  final long shardId;
  final String streamName;
  final ShardWaiters waiters = new ShardWaiters();

  /** Serializes trims of this shard so the persisted trim point only moves forward. */
  final Object trimLock = new Object();

  // writer thread only
  long appendedLsn;
  long committedLsn;
  long floorLsn;
  long lastAppendTimeMs;
  boolean inGroup;

  // LSNs skipped when the store opened after a crash: (skippedAfter, skippedTo]; never written.
  long skippedAfter;
  long skippedTo;

  private volatile long durableLsn;
  private volatile long firstLsn;
  private volatile boolean deleted;

  ShardState(long shardId, String streamName, long firstLsn, long durableLsn, long lastAppendMs) {
    this.shardId = shardId;
    this.streamName = streamName;
    this.firstLsn = firstLsn;
    this.durableLsn = durableLsn;
    this.appendedLsn = durableLsn;
    this.committedLsn = durableLsn;
    this.lastAppendTimeMs = lastAppendMs;
  }

  /**
   * At open: the next append gets {@code nextAfter + 1}. LSNs between the last stored one and
   * {@code nextAfter} may have been handed out before a crash; they are skipped, never reused.
   */
  void continueAfter(long nextAfter, long floor) {
    if (nextAfter > durableLsn) {
      skippedAfter = durableLsn;
      skippedTo = nextAfter;
    }
    appendedLsn = nextAfter;
    committedLsn = nextAfter;
    floorLsn = floor;
  }

  boolean wasSkipped(long lsn) {
    return lsn > skippedAfter && lsn <= skippedTo;
  }

  long durableLsn() {
    return durableLsn;
  }

  /** Called by the writer once the batches up to {@code lsn} are durable. */
  void markDurable(long lsn) {
    durableLsn = lsn;
  }

  long firstLsn() {
    return firstLsn;
  }

  /** Called under {@link #trimLock}. */
  void trimmedBefore(long lsn) {
    if (lsn > firstLsn) {
      firstLsn = lsn;
    }
  }

  ShardPosition position() {
    // Read durable first: a trim racing with us can only move firstLsn up to durable + 1.
    long last = durableLsn;
    return new ShardPosition(Math.min(firstLsn, last + 1), last);
  }

  boolean isDeleted() {
    return deleted;
  }

  /** Set (or undone when the delete failed) by the writer while deleting the stream. */
  void markDeleted(boolean value) {
    deleted = value;
  }

  /** A future that completes once {@code durableLsn > lsn}; see {@link ShardWaiters}. */
  CompletableFuture<Void> awaitBeyond(long lsn) {
    if (durableLsn > lsn) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> waiter = waiters.add(lsn);
    // The writer may have advanced between our check and the add; don't miss that wake-up.
    if (durableLsn > lsn) {
      waiters.wake(durableLsn);
    }
    return waiter;
  }
}
