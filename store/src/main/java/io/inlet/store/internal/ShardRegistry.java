package io.inlet.store.internal;

import io.inlet.store.ShardInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StreamInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** The in-memory state of every live shard, by shard id. */
final class ShardRegistry {
  private final Map<Long, ShardState> shards = new ConcurrentHashMap<>();

  /** The shard's state, or null when no live stream has it. */
  ShardState find(long shardId) {
    return shards.get(shardId);
  }

  /**
   * @throws StoreException SHARD_NOT_FOUND
   */
  ShardState require(long shardId) {
    ShardState shard = shards.get(shardId);
    if (shard == null) {
      throw StoreException.shardNotFound(shardId);
    }
    return shard;
  }

  /**
   * The state of a shard an append names, checked against its stream first.
   *
   * @throws StoreException STREAM_NOT_FOUND for an unknown (or just deleted) stream,
   *     SHARD_NOT_IN_STREAM for a shard not in it
   */
  ShardState forAppend(RocksStreamCatalog streams, String streamName, long shardId) {
    streams.shardOf(streamName, shardId);
    ShardState shard = shards.get(shardId);
    if (shard == null) {
      throw StoreException.streamNotFound(streamName); // deleted just now
    }
    return shard;
  }

  void add(ShardState shard) {
    shards.put(shard.shardId, shard);
  }

  void remove(long shardId) {
    shards.remove(shardId);
  }

  Collection<ShardState> all() {
    return shards.values();
  }

  /** A shard as found on disk when the store opens. */
  record Recovered(
      long shardId, String streamName, long firstLsn, long lastLsn, long lastAppendMs) {}

  /**
   * Rebuilds the positions of the given streams' shards from disk and registers them; see {@link
   * #positions}.
   */
  void recover(StoreDatabase database, MetaStore meta, Collection<StreamInfo> streams) {
    for (Recovered r : positions(database, meta, streams)) {
      add(new ShardState(r.shardId(), r.streamName(), r.firstLsn(), r.lastLsn(), r.lastAppendMs()));
    }
  }

  /**
   * The positions of the given streams' shards on disk: the trim point from {@code meta}, the last
   * LSN and append time from the shard's last key in {@code data} (one seek-for-prev per shard, so
   * opening stays fast with many shards). A shard whose batches were all trimmed has {@code lastLsn
   * = firstLsn - 1}, so LSNs never go back after a restart. A last batch whose header is damaged
   * counts with append time 0; reading it reports the damage.
   */
  static List<Recovered> positions(
      StoreDatabase database, MetaStore meta, Collection<StreamInfo> streams) {
    RocksDB db = database.db();
    byte[] header = new byte[EntryValue.TIME_HEADER_LENGTH];
    List<Recovered> found = new ArrayList<>();
    try (RocksIterator it = db.newIterator(database.data())) {
      for (StreamInfo stream : streams) {
        for (ShardInfo info : stream.shards()) {
          long shardId = info.shardId();
          byte[] trimPoint = meta.get(MetaKeys.numbered(MetaKeys.TRIM_POINT, shardId));
          long firstLsn = trimPoint == null ? 1 : Bytes.getLong(trimPoint, 0);
          long lastLsn = firstLsn - 1;
          long lastAppendMs = 0;
          it.seekForPrev(DataKeys.key(shardId, DataKeys.END_LSN));
          StoreErrors.checkIterator(database.dir(), it, shardId, "find the last batch of");
          if (it.isValid()) {
            byte[] key = it.key();
            if (DataKeys.shardId(key) == shardId) {
              lastLsn = Math.max(lastLsn, DataKeys.lsn(key));
              int length = it.value(header);
              lastAppendMs = EntryValue.appendTimeOrZero(header, length);
            }
          }
          found.add(new Recovered(shardId, stream.name(), firstLsn, lastLsn, lastAppendMs));
        }
      }
    }
    return found;
  }
}
