package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.metrics.StorageProbe;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.rocksdb.RocksDBException;
import org.rocksdb.TickerType;

/**
 * Reads the store's gauges. Every RocksDB access passes the {@link StoreGate}, so a scrape never
 * touches a closed or reopening handle; then it answers NaN.
 */
final class RocksStorageProbe implements StorageProbe {
  /** Properties of the whole database; the others are summed over the column families. */
  private static final Set<String> DB_WIDE =
      Set.of(
          "rocksdb.actual-delayed-write-rate",
          "rocksdb.is-write-stopped",
          // One cache is shared by every column family: summing would count it thrice.
          "rocksdb.block-cache-usage");

  private final StoreDatabase database;
  private final StoreGate gate;
  private final ShardRegistry shards;
  private final RocksStreamCatalog streams;
  private final GroupCommitWriter writer;
  private final SegmentShardLog segments; // null when the entries are in RocksDB

  RocksStorageProbe(
      StoreDatabase database,
      StoreGate gate,
      ShardRegistry shards,
      RocksStreamCatalog streams,
      GroupCommitWriter writer,
      SegmentShardLog segments) {
    this.database = database;
    this.gate = gate;
    this.shards = shards;
    this.streams = streams;
    this.writer = writer;
    this.segments = segments;
  }

  @Override
  public double rocksProperty(String name) {
    return read(
        db -> {
          try {
            return DB_WIDE.contains(name)
                ? db.db().getLongProperty(name)
                : db.db().getAggregatedLongProperty(name);
          } catch (RocksDBException e) {
            return Double.NaN;
          }
        });
  }

  @Override
  public double stallMicros() {
    return read(db -> db.statistics().getTickerCount(TickerType.STALL_MICROS));
  }

  @Override
  public double blockCacheHits() {
    return read(db -> db.statistics().getTickerCount(TickerType.BLOCK_CACHE_HIT));
  }

  @Override
  public double blockCacheMisses() {
    return read(db -> db.statistics().getTickerCount(TickerType.BLOCK_CACHE_MISS));
  }

  @Override
  public double queuedAppendBytes() {
    return writer.queuedBytes() + (segments == null ? 0 : segments.queuedBytes());
  }

  @Override
  public boolean refusesWrites() {
    return database.needsReopen() || (segments != null && segments.writesRefused());
  }

  @Override
  public int streams() {
    return streams.count();
  }

  @Override
  public int shards() {
    return shards.all().size();
  }

  private double read(ToDoubleFunction<StoreDatabase> property) {
    if (gate.isClosed()) {
      return Double.NaN;
    }
    try {
      return gate.call(() -> property.applyAsDouble(database));
    } catch (StoreUnavailableException e) {
      return Double.NaN;
    }
  }
}
