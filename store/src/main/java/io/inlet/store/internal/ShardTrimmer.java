package io.inlet.store.internal;

import io.inlet.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Deletes a shard's oldest batches: one range tombstone over the data and the new trim point in
 * {@code meta}, written atomically and fsync'd, so the first LSN survives a restart.
 */
final class ShardTrimmer {
  private final StoreDatabase database;
  private final MetaStore meta;

  ShardTrimmer(StoreDatabase database, MetaStore meta) {
    this.database = database;
    this.meta = meta;
  }

  /**
   * Deletes every batch with LSN < {@code lsn}. A trim beyond the end stops at the end ({@code
   * lastLsn + 1}), so the next append still gets the next LSN.
   *
   * @return the shard's first LSN afterwards
   */
  long trimBefore(ShardState shard, long lsn) {
    synchronized (shard.trimLock) {
      if (shard.isDeleted()) {
        throw StoreException.shardNotFound(shard.shardId);
      }
      long target = Math.min(lsn, shard.durableLsn() + 1);
      if (target <= shard.firstLsn()) {
        return shard.firstLsn();
      }
      String what = "trim shard " + shard.shardId;
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(
            database.data(), DataKeys.key(shard.shardId, 0), DataKeys.key(shard.shardId, target));
        batch.put(
            database.meta(),
            MetaKeys.numbered(MetaKeys.TRIM_POINT, shard.shardId),
            Bytes.ofLong(target));
        meta.write(batch, what);
      } catch (RocksDBException e) {
        throw StoreErrors.writeFailed(database.dir(), what, e);
      }
      shard.trimmedBefore(target);
      return target;
    }
  }
}
