package io.inlet.store;

import java.util.Locale;

/**
 * Where a store keeps the entries of its shards. Streams, subscriptions, readers, trim points and
 * other metadata are in RocksDB either way; a data directory keeps the storage it was created with.
 */
public enum ShardStorage {
  /** In RocksDB's {@code data} column family, written through its WAL (the default). */
  ROCKSDB,
  /**
   * In append-only segment files, one directory per shard under {@code data-dir/segments}: each
   * payload byte is written once.
   */
  SEGMENTS;

  /** The name in settings: {@code rocksdb} or {@code segments}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for a name that is none of {@link #key()}'s
   */
  public static ShardStorage of(String key) {
    for (ShardStorage storage : values()) {
      if (storage.key().equals(key)) {
        return storage;
      }
    }
    throw new IllegalArgumentException("must be one of rocksdb, segments");
  }
}
