package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.DamagedDataException;
import io.inlet.store.ShardStorage;
import io.inlet.store.segment.SegmentDamagedException;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogException;
import io.inlet.store.segment.SegmentLogOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shard storage a data directory was created with, kept in {@code meta}: a store without
 * streams takes the one asked for; one with streams and no record was written before the choice
 * existed and keeps its entries in RocksDB. Opening a store with the other storage is refused,
 * since it would hide every entry written so far.
 */
final class ShardStorageChoice {
  static final byte[] KEY = MetaKeys.named(MetaKeys.FORMAT, "shard-storage");

  /** Where the segment log lives inside the data directory. */
  static final String SEGMENTS_DIR = "segments";

  private ShardStorageChoice() {}

  /**
   * @throws StoreUnavailableException when the directory holds the other storage
   */
  static ShardStorage settle(MetaStore meta, ShardStorage wanted, boolean hasStreams) {
    byte[] value = meta.get(KEY);
    ShardStorage held;
    if (value != null) {
      held = ShardStorage.of(new String(value, StandardCharsets.UTF_8));
    } else if (hasStreams) {
      held = ShardStorage.ROCKSDB;
    } else {
      held = wanted;
    }
    if (held != wanted) {
      throw new StoreUnavailableException(
          "data directory "
              + meta.database().dir()
              + " keeps its shards' entries in "
              + held.key()
              + ", not "
              + wanted.key()
              + "; set shard-storage to "
              + held.key()
              + " (a store keeps the storage it was created with)");
    }
    if (value == null) {
      meta.put(KEY, held.key().getBytes(StandardCharsets.UTF_8), "record the shard storage");
    }
    return held;
  }

  /**
   * Opens the segment log of a store in {@code dataDir}, its writer with the store's commit delay.
   *
   * @throws DamagedDataException when a shard's segments hold damage recovery must not cut off
   * @throws StoreUnavailableException when the log's directory cannot be used
   */
  static SegmentLog openSegments(Path dataDir, Duration commitDelay) {
    Path dir = dataDir.resolve(SEGMENTS_DIR);
    try {
      return SegmentLog.open(dir, SegmentLogOptions.DEFAULTS.withCommitDelay(commitDelay));
    } catch (SegmentDamagedException e) {
      throw new DamagedDataException(dataDir, e.getMessage(), e);
    } catch (SegmentLogException e) {
      throw new StoreUnavailableException(e.getMessage(), e);
    }
  }
}
