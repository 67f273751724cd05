package io.inlet.store.metrics;

/**
 * What the store's gauges read from the open store. Every method is cheap (in-memory counters and
 * RocksDB properties) and safe to call from any thread, also after the store closed (then it
 * answers NaN or 0).
 */
public interface StorageProbe {
  /** An integer RocksDB property summed over the column families, or NaN when unavailable. */
  double rocksProperty(String name);

  /** Microseconds writes were stalled or delayed by RocksDB since the store opened. */
  double stallMicros();

  double blockCacheHits();

  double blockCacheMisses();

  double queuedAppendBytes();

  boolean refusesWrites();

  int streams();

  int shards();
}
