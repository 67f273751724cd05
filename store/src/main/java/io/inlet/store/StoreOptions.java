package io.inlet.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a store.
 *
 * @param dataDir where RocksDB keeps its files; created if missing
 * @param retentionInterval how often expired batches are deleted
 * @param unsafeSkipFsync acknowledge appends before fsync (loses acked data on a crash; off by
 *     default, for benchmarks only)
 */
public record StoreOptions(Path dataDir, Duration retentionInterval, boolean unsafeSkipFsync) {
  public static StoreOptions defaults(Path dataDir) {
    return new StoreOptions(dataDir, Duration.ofMinutes(1), false);
  }
}
