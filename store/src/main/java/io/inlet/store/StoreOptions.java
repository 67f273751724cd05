package io.inlet.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a store.
 *
 * @param dataDir where RocksDB keeps its files; created if missing
 * @param retentionInterval how often expired batches are deleted
 * @param unsafeSkipFsync acknowledge appends before fsync (loses acked data on a crash; off by
 *     default, for benchmarks only)
 * @param meterRegistry where the store registers its meters ({@link
 *     io.inlet.store.metrics.StoreMetrics})
 */
public record StoreOptions(
    Path dataDir,
    Duration retentionInterval,
    boolean unsafeSkipFsync,
    MeterRegistry meterRegistry) {

  /** Options whose meters go nowhere. */
  public StoreOptions(Path dataDir, Duration retentionInterval, boolean unsafeSkipFsync) {
    this(dataDir, retentionInterval, unsafeSkipFsync, new CompositeMeterRegistry());
  }

  public static StoreOptions defaults(Path dataDir) {
    return new StoreOptions(dataDir, Duration.ofMinutes(1), false);
  }
}
