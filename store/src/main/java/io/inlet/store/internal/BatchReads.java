package io.inlet.store.internal;

import io.inlet.store.DamagedDataException;
import io.inlet.store.StoredEntry;
import io.inlet.store.metrics.StoreMetrics;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads of the {@code data} column family. Only durable batches are returned: a batch written but
 * not yet acknowledged (its group's fsync still running, or failed) stays invisible.
 */
final class BatchReads {
  private final StoreDatabase database;
  private final StoreMetrics metrics;

  BatchReads(StoreDatabase database, StoreMetrics metrics) {
    this.database = database;
    this.metrics = metrics;
  }

  /**
   * Up to {@code maxBatches} durable batches from {@code fromLsn}. A damaged batch ends the read
   * before it; a read that starts at one fails with {@link DamagedDataException} naming its LSN, so
   * a caller can report it and go on after it.
   */
  List<StoredEntry> read(ShardState shard, long fromLsn, int maxBatches) {
    long from = Math.max(fromLsn, shard.firstLsn());
    long last = shard.durableLsn();
    if (maxBatches <= 0 || from > last) {
      return List.of();
    }
    int expected = (int) Math.min(Math.min(maxBatches, last - from + 1), 1024);
    List<StoredEntry> batches = new ArrayList<>(expected);
    long bytes = 0;
    long next = from;
    try (RocksIterator it = database.db().newIterator(database.data())) {
      for (it.seek(DataKeys.key(shard.shardId, from));
          it.isValid() && batches.size() < maxBatches;
          it.next()) {
        byte[] key = it.key();
        long lsn = DataKeys.lsn(key);
        if (DataKeys.shardId(key) != shard.shardId || lsn > last) {
          break;
        }
        StoredEntry batch;
        try {
          batch = EntryValue.decode(database.dir(), shard.shardId, lsn, it.value());
        } catch (DamagedDataException e) {
          if (batches.isEmpty()) {
            throw e;
          }
          break;
        }
        bytes += batch.entry().payload().size();
        batches.add(batch);
        next = lsn + 1;
      }
      it.status();
    } catch (RocksDBException e) {
      if (!batches.isEmpty() && StoreErrors.isDamage(e)) {
        // Hand out what was readable; the next read, starting at the damage, reports it.
        metrics.read(shard.streamName, batches.size(), bytes);
        return batches;
      }
      throw StoreErrors.readFailed(
          database.dir(),
          shard.shardId,
          next,
          "read shard " + shard.shardId + " from LSN " + next,
          e);
    }
    metrics.read(shard.streamName, batches.size(), bytes);
    return batches;
  }

  /**
   * Binary search on the stored append times, which never decrease within a shard: O(log n) seeks,
   * each reading one value. LSNs may have gaps (trims, LSNs skipped after a crash), so each probe
   * seeks to the first batch at or after its LSN.
   */
  long lsnAtOrAfter(ShardState shard, long timestampMs) {
    long low = shard.firstLsn();
    long high = shard.durableLsn();
    long answer = high + 1;
    try (RocksIterator it = database.db().newIterator(database.data())) {
      while (low <= high) {
        long mid = low + (high - low) / 2;
        it.seek(DataKeys.key(shard.shardId, mid));
        StoreErrors.checkIterator(database.dir(), it, shard.shardId, "search");
        long found = -1;
        if (it.isValid()) {
          byte[] key = it.key();
          if (DataKeys.shardId(key) == shard.shardId && DataKeys.lsn(key) <= high) {
            found = DataKeys.lsn(key);
          }
        }
        if (found < 0) {
          // Nothing stored in [mid, high]: the answer, if any, is below mid.
          high = mid - 1;
          continue;
        }
        byte[] value = it.value();
        if (EntryValue.appendTimeMs(database.dir(), shard.shardId, found, value, value.length)
            >= timestampMs) {
          answer = found;
          high = mid - 1;
        } else {
          low = found + 1;
        }
      }
    }
    return answer;
  }
}
