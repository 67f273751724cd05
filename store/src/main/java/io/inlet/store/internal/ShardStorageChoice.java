package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.DamagedDataException;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreOptions;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.segment.SegmentDamagedException;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogException;
import io.inlet.store.segment.SegmentLogOptions;
import io.inlet.store.segment.WriterMeters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shard storage a data directory was created with, kept in {@code meta}: a store without
 * streams takes the one asked for, or {@link #FOR_NEW_STORES} when none is; one with streams and no
 * record was written before the choice existed and keeps its entries in RocksDB. A store opened
 * without a choice keeps what it holds; opening it with the other storage is refused, since that
 * would hide every entry written so far.
 */
final class ShardStorageChoice {
  static final byte[] KEY = MetaKeys.named(MetaKeys.FORMAT, "shard-storage");

  /** Where the segment log lives inside the data directory. */
  static final String SEGMENTS_DIR = "segments";

  /** What a new store gets when no storage is asked for. */
  static final ShardStorage FOR_NEW_STORES = ShardStorage.SEGMENTS;

  private ShardStorageChoice() {}

  /**
   * @param wanted the storage asked for, or null for whatever the directory holds
   * @throws StoreUnavailableException when the directory holds another storage than the one asked
   *     for
   */
  static ShardStorage settle(MetaStore meta, ShardStorage wanted, boolean hasStreams) {
    byte[] value = meta.get(KEY);
    ShardStorage held;
    if (value != null) {
      held = ShardStorage.of(new String(value, StandardCharsets.UTF_8));
    } else if (hasStreams) {
      held = ShardStorage.ROCKSDB;
    } else {
      held = wanted == null ? FOR_NEW_STORES : wanted;
    }
    if (wanted != null && held != wanted) {
      throw new StoreUnavailableException(
          "data directory "
              + meta.database().dir()
              + " keeps its shards' entries in "
              + held.key()
              + ", not "
              + wanted.key()
              + "; set shard-storage to "
              + held.key()
              + ", or leave it unset (a store keeps the storage it was created with)");
    }
    if (value == null) {
      meta.put(KEY, held.key().getBytes(StandardCharsets.UTF_8), "record the shard storage");
    }
    return held;
  }

  /**
   * Opens the segment log of a store in {@code dataDir}, its writer with the store's commit delay
   * and, when the options say so, acknowledging appends without waiting for an fsync, with the
   * options' number of sealed segment files kept open; its group commits go to the store's
   * group-commit meters.
   *
   * @throws DamagedDataException when a shard's segments hold damage recovery must not cut off
   * @throws StoreUnavailableException when the log's directory cannot be used
   */
  static SegmentLog openSegments(
      Path dataDir, StoreOptions options, Duration commitDelay, StoreMetrics metrics) {
    Path dir = dataDir.resolve(SEGMENTS_DIR);
    try {
      return SegmentLog.open(
          dir,
          SegmentLogOptions.DEFAULTS
              .withCommitDelay(commitDelay)
              .withUnsafeSkipFsync(options.unsafeSkipFsync())
              .withOpenSealedSegments(options.openSealedSegments()),
          new WriterMeters() {
            @Override
            public void synced(int appends, long payloadBytes, long syncNanos) {
              metrics.groupCommitted(appends, payloadBytes, syncNanos);
            }

            @Override
            public void delayed(long nanos) {
              metrics.commitDelayed(nanos);
            }

            @Override
            public void checkpointed(long nanos) {
              metrics.journalCheckpointed(nanos);
            }

            @Override
            public void wroteBack(int segments, long nanos) {
              metrics.journalWrittenBack(nanos);
            }
          });
    } catch (SegmentDamagedException e) {
      throw new DamagedDataException(dataDir, e.getMessage(), e);
    } catch (SegmentLogException e) {
      throw new StoreUnavailableException(e.getMessage(), e);
    }
  }
}
