package io.inlet.store.internal;

import io.inlet.store.StoredBatch;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads of the {@code data} column family. Only durable batches are returned: a batch written but
 * not yet acknowledged (its group's fsync still running, or failed) stays invisible.
 */
final class BatchReads {
  private final StoreDatabase database;

  BatchReads(StoreDatabase database) {
    this.database = database;
  }

  List<StoredBatch> read(ShardState shard, long fromLsn, int maxBatches) {
    long from = Math.max(fromLsn, shard.firstLsn());
    long last = shard.durableLsn();
    if (maxBatches <= 0 || from > last) {
      return List.of();
    }
    int expected = (int) Math.min(Math.min(maxBatches, last - from + 1), 1024);
    List<StoredBatch> batches = new ArrayList<>(expected);
    try (RocksIterator it = database.db().newIterator(database.data())) {
      for (it.seek(DataKeys.key(shard.shardId, from));
          it.isValid() && batches.size() < maxBatches;
          it.next()) {
        byte[] key = it.key();
        long lsn = DataKeys.lsn(key);
        if (DataKeys.shardId(key) != shard.shardId || lsn > last) {
          break;
        }
        batches.add(BatchValue.decode(shard.shardId, lsn, it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw StoreErrors.readFailed(database.dir(), "read shard " + shard.shardId, e);
    }
    return batches;
  }

  /**
   * Binary search on the stored append times, which never decrease within a shard: O(log n) point
   * reads of the 9-byte header only.
   */
  long lsnAtOrAfter(ShardState shard, long timestampMs) {
    long low = shard.firstLsn();
    long high = shard.durableLsn();
    long answer = high + 1;
    byte[] header = new byte[BatchValue.HEADER_LENGTH];
    RocksDB db = database.db();
    try {
      while (low <= high) {
        long mid = low + (high - low) / 2;
        int size = db.get(database.data(), DataKeys.key(shard.shardId, mid), header);
        // A batch trimmed meanwhile is older than anything still stored.
        boolean atOrAfter =
            size != RocksDB.NOT_FOUND && BatchValue.appendTimeMs(header) >= timestampMs;
        if (atOrAfter) {
          answer = mid;
          high = mid - 1;
        } else {
          low = mid + 1;
        }
      }
    } catch (RocksDBException e) {
      throw StoreErrors.readFailed(database.dir(), "search shard " + shard.shardId, e);
    }
    return answer;
  }
}
