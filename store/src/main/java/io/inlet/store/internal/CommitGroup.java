package io.inlet.store.internal;

import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The appends the writer commits together: one RocksDB write batch, one write, one fsync. Buffers
 * and the native batch are reused from group to group. Writer thread only.
 */
final class CommitGroup implements AutoCloseable {
  /** A group stops growing past this many bytes so one fsync never carries too much. */
  static final int MAX_BYTES = 32 << 20;

  private final StoreDatabase database;
  private final Executor acks;
  private final WriteBatch writeBatch = new WriteBatch();
  private final ByteBuffer key = ByteBuffer.allocateDirect(DataKeys.LENGTH);
  private ByteBuffer value = ByteBuffer.allocateDirect(256 << 10);
  private final List<PendingAppend> appends = new ArrayList<>();
  private final List<ShardState> touched = new ArrayList<>();
  private long bytes;

  CommitGroup(StoreDatabase database, Executor acks) {
    this.database = database;
    this.acks = acks;
  }

  boolean isFull() {
    return bytes >= MAX_BYTES;
  }

  /**
   * Gives the append its LSN and adds its batch to the group; fails it at once when its shard is
   * gone or an externally chosen LSN leaves a gap.
   */
  void add(PendingAppend append, long nowMs) {
    ShardState shard = append.shard;
    if (shard.isDeleted()) {
      append.future.completeExceptionally(
          StoreErrors.shardNotInStream(shard.shardId, shard.streamName));
      return;
    }
    if (append.requestedLsn == 0) {
      append.lsn = ++shard.appendedLsn;
      append.mustWrite = true;
    } else if (append.requestedLsn <= shard.appendedLsn) {
      // Already applied (or earlier in this group): idempotent, acked once that is durable.
      append.lsn = append.requestedLsn;
      append.mustWrite = false;
    } else if (append.requestedLsn == shard.appendedLsn + 1) {
      append.lsn = ++shard.appendedLsn;
      append.mustWrite = true;
    } else {
      append.future.completeExceptionally(
          new InletException(
              ErrorCode.InternalError,
              "shard "
                  + shard.shardId
                  + " expects LSN "
                  + (shard.appendedLsn + 1)
                  + " next, not "
                  + append.requestedLsn));
      return;
    }
    if (append.mustWrite) {
      // Append times never go backwards within a shard, even if the clock does.
      long appendTime = Math.max(nowMs, shard.lastAppendTimeMs);
      try {
        put(shard.shardId, append.lsn, appendTime, append);
      } catch (RuntimeException e) {
        shard.appendedLsn = append.lsn - 1;
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

  private void put(long shardId, long lsn, long appendTimeMs, PendingAppend append) {
    key.clear();
    key.putLong(shardId).putLong(lsn).flip();
    if (value.capacity() < append.valueLength) {
      value = ByteBuffer.allocateDirect(Math.max(append.valueLength, value.capacity() * 2));
    }
    value.clear();
    BatchValue.write(value, appendTimeMs, append.batch);
    value.flip();
    try {
      writeBatch.put(database.data(), key, value);
    } catch (RocksDBException e) {
      throw new StoreUnavailableException("cannot add a batch to a write batch: " + e, e);
    }
    bytes += DataKeys.LENGTH + append.valueLength;
  }

  /**
   * Writes the group (fsync'd unless unsafe), advances the durable LSNs, then hands the acks and
   * the wake-ups to the ack thread. On failure nothing advances: the futures fail with {@link
   * StoreUnavailableException} and the next group reuses the LSNs.
   */
  void commit() {
    if (appends.isEmpty()) {
      return;
    }
    try {
      if (writeBatch.count() > 0) {
        database.db().write(database.appendWrite(), writeBatch);
      }
      for (ShardState shard : touched) {
        shard.markDurable(shard.appendedLsn);
      }
      List<PendingAppend> done = List.copyOf(appends);
      List<ShardState> woken = List.copyOf(touched);
      acks.execute(() -> acknowledge(done, woken));
    } catch (RocksDBException e) {
      database.writeFailed(e);
      failAll(StoreErrors.writeFailed(database.dir(), "append", e));
    } catch (StoreUnavailableException e) {
      failAll(e);
    } catch (RuntimeException e) {
      failAll(new StoreUnavailableException("append failed: " + e, e));
    } finally {
      writeBatch.clear();
      appends.clear();
      touched.forEach(shard -> shard.inGroup = false);
      touched.clear();
      bytes = 0;
    }
  }

  private static void acknowledge(List<PendingAppend> done, List<ShardState> shards) {
    for (PendingAppend append : done) {
      append.future.complete(append.result());
    }
    for (ShardState shard : shards) {
      shard.waiters.wake(shard.durableLsn());
    }
  }

  private void failAll(StoreUnavailableException cause) {
    for (ShardState shard : touched) {
      shard.appendedLsn = shard.durableLsn();
    }
    List<PendingAppend> failed = List.copyOf(appends);
    acks.execute(() -> failed.forEach(append -> append.future.completeExceptionally(cause)));
  }

  @Override
  public void close() {
    writeBatch.close();
  }
}
