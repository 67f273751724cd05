package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.StoreException;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.metrics.StoreMetrics.FailureReason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The appends the writer commits together: one RocksDB write batch, one write, one fsync. Buffers
 * and the native batch are reused from group to group. Writer thread only.
 */
final class CommitGroup implements AutoCloseable {
  /** A group stops growing past this many bytes so one fsync never carries too much. */
  private final int maxBytes;

  private final StoreDatabase database;
  private final LsnFloors floors;
  private final StoreMetrics metrics;
  private final WriteBatch writeBatch = new WriteBatch();
  private final ByteBuffer key = ByteBuffer.allocateDirect(DataKeys.LENGTH);
  private ByteBuffer value = ByteBuffer.allocateDirect(256 << 10);
  private final List<PendingAppend> appends = new ArrayList<>();
  private final List<ShardState> touched = new ArrayList<>();
  private long bytes;

  CommitGroup(StoreDatabase database, LsnFloors floors, StoreMetrics metrics, int maxBytes) {
    this.maxBytes = maxBytes;
    this.database = database;
    this.floors = floors;
    this.metrics = metrics;
  }

  boolean isFull() {
    return bytes >= maxBytes;
  }

  /**
   * Gives the append its LSN and adds its batch to the group; fails it at once when its shard is
   * gone or an externally chosen LSN leaves a gap.
   */
  void add(PendingAppend append, long nowMs) {
    ShardState shard = append.shard;
    if (shard.isDeleted()) {
      // Not counted: the deleted stream's meters are gone and must not come back.
      append.future.completeExceptionally(StoreException.streamNotFound(shard.streamName));
      return;
    }
    if (append.requestedLsn == 0) {
      append.lsn = ++shard.appendedLsn;
      append.mustWrite = true;
    } else if (shard.wasSkipped(append.requestedLsn)) {
      reject(
          append,
          " skipped LSN "
              + append.requestedLsn
              + " when it recovered from a crash; it cannot be"
              + " written");
      return;
    } else if (append.requestedLsn <= shard.appendedLsn) {
      // Already applied (or earlier in this group): idempotent, acked once that is durable.
      append.lsn = append.requestedLsn;
      append.mustWrite = false;
    } else if (append.requestedLsn == shard.appendedLsn + 1) {
      append.lsn = ++shard.appendedLsn;
      append.mustWrite = true;
    } else {
      reject(
          append, " expects LSN " + (shard.appendedLsn + 1) + " next, not " + append.requestedLsn);
      return;
    }
    if (append.mustWrite) {
      // Append times never go backwards within a shard, even if the clock does.
      long appendTime = Math.max(nowMs, shard.lastAppendTimeMs);
      try {
        put(shard.shardId, append.lsn, appendTime, append);
      } catch (RuntimeException e) {
        shard.appendedLsn = append.lsn - 1;
        metrics.appendFailed(shard.streamName, FailureReason.WRITE_FAILED);
        append.future.completeExceptionally(
            e instanceof StoreUnavailableException u
                ? u
                : new StoreUnavailableException("append failed: " + e, e));
        return;
      }
      shard.lastAppendTimeMs = appendTime;
    }
    if (!shard.inGroup) {
      shard.inGroup = true;
      touched.add(shard);
    }
    appends.add(append);
  }

  /** Fails an append at an LSN chosen elsewhere that this shard cannot take. */
  private void reject(PendingAppend append, String why) {
    metrics.appendFailed(append.shard.streamName, FailureReason.REJECTED);
    append.future.completeExceptionally(
        new StoreException(
            StoreException.Reason.LSN_REJECTED, "shard " + append.shard.shardId + why));
  }

  private void put(long shardId, long lsn, long appendTimeMs, PendingAppend append) {
    key.clear();
    key.putLong(shardId).putLong(lsn).flip();
    if (value.capacity() < append.valueLength) {
      value = ByteBuffer.allocateDirect(Math.max(append.valueLength, value.capacity() * 2));
    }
    value.clear();
    EntryValue.write(value, appendTimeMs, append.entry);
    value.flip();
    try {
      writeBatch.put(database.data(), key, value);
    } catch (RocksDBException e) {
      throw new StoreUnavailableException("cannot add a batch to a write batch: " + e, e);
    }
    bytes += DataKeys.LENGTH + append.valueLength;
  }

  /**
   * Writes the group (fsync'd unless unsafe) and advances the durable LSNs. On failure nothing
   * advances and the next group reuses the LSNs (none of them reached a reader or an ack).
   *
   * @return what completes the group's futures and wakes its readers (or fails the futures with
   *     {@link StoreUnavailableException}), for the caller to run on the thread it picks; null when
   *     the group was empty
   */
  Runnable commit() {
    if (appends.isEmpty()) {
      return null;
    }
    try {
      // No LSN above a shard's recorded floor may reach the disk: raise the floor first.
      floors.reserve(touched);
      if (writeBatch.count() > 0) {
        long start = System.nanoTime();
        database.db().write(database.appendWrite(), writeBatch);
        metrics.groupCommitted(writeBatch.count(), bytes, System.nanoTime() - start);
      }
      for (ShardState shard : touched) {
        shard.committedLsn = shard.appendedLsn;
        shard.markDurable(shard.appendedLsn);
      }
      List<PendingAppend> done = List.copyOf(appends);
      List<ShardState> woken = List.copyOf(touched);
      return () -> acknowledge(done, woken, metrics);
    } catch (RocksDBException e) {
      return failAll(database.writeFailed("append", e));
    } catch (StoreUnavailableException e) {
      return failAll(e);
    } catch (RuntimeException e) {
      return failAll(new StoreUnavailableException("append failed: " + e, e));
    } finally {
      writeBatch.clear();
      appends.clear();
      touched.forEach(shard -> shard.inGroup = false);
      touched.clear();
      bytes = 0;
    }
  }

  private static void acknowledge(
      List<PendingAppend> done, List<ShardState> shards, StoreMetrics metrics) {
    long now = System.nanoTime();
    for (PendingAppend append : done) {
      // Counted before the ack, so whoever sees the ack also sees it counted.
      if (append.mustWrite) {
        metrics.appended(
            append.shard.streamName,
            append.entry.recordCount(),
            append.entry.payload().size(),
            now - append.submittedNanos);
      }
      append.future.complete(append.result());
    }
    for (ShardState shard : shards) {
      shard.waiters.wake(shard.durableLsn());
    }
  }

  private Runnable failAll(StoreUnavailableException cause) {
    for (ShardState shard : touched) {
      shard.appendedLsn = shard.committedLsn;
    }
    List<PendingAppend> failed = List.copyOf(appends);
    for (PendingAppend append : failed) {
      metrics.appendFailed(append.shard.streamName, FailureReason.WRITE_FAILED);
    }
    return () -> failed.forEach(append -> append.future.completeExceptionally(cause));
  }

  @Override
  public void close() {
    writeBatch.close();
  }
}
