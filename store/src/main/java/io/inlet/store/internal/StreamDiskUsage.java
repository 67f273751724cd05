package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.metrics.StoreMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.rocksdb.Range;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;

/**
 * Bytes each stream takes in the {@code data} column family: RocksDB's estimate over the key range
 * of each of its shards, files and memtables included. Computed for every stream at once, when
 * asked (on a scrape) and the last computation is older than {@link #MAX_AGE_NANOS}.
 */
final class StreamDiskUsage implements StoreMetrics.DiskUsage {
  static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final StoreDatabase database;
  private final StoreGate gate;
  private final RocksStreamCatalog streams;
  private final LongSupplier nanoClock;
  private Map<String, Long> bytes = Map.of();
  private long computedAt;
  private boolean computed;

  StreamDiskUsage(
      StoreDatabase database, StoreGate gate, RocksStreamCatalog streams, LongSupplier nanoClock) {
    this.database = database;
    this.gate = gate;
    this.streams = streams;
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized double bytes(String stream) {
    if (gate.isClosed()) {
      return Double.NaN;
    }
    long now = nanoClock.getAsLong();
    if (!computed || now - computedAt >= MAX_AGE_NANOS) {
      computed = true;
      computedAt = now;
      bytes = compute();
    }
    Long value = bytes.get(stream);
    return value == null ? Double.NaN : value;
  }

  private Map<String, Long> compute() {
    if (gate.isClosed()) {
      return Map.of();
    }
    try {
      return gate.call(this::approximate);
    } catch (StoreUnavailableException e) {
      return Map.of();
    }
  }

  private Map<String, Long> approximate() {
    Map<String, Long> result = new HashMap<>();
    for (StreamInfo stream : streams.list("")) {
      List<Slice> slices = new ArrayList<>();
      try {
        List<Range> ranges = new ArrayList<>();
        for (ShardInfo shard : stream.shards()) {
          Slice start = new Slice(DataKeys.key(shard.shardId(), 0));
          Slice end = new Slice(DataKeys.key(shard.shardId(), DataKeys.END_LSN));
          slices.add(start);
          slices.add(end);
          ranges.add(new Range(start, end));
        }
        long[] sizes =
            database
                .db()
                .getApproximateSizes(
                    database.data(),
                    ranges,
                    SizeApproximationFlag.INCLUDE_FILES,
                    SizeApproximationFlag.INCLUDE_MEMTABLES);
        long total = 0;
        for (long size : sizes) {
          total += size;
        }
        result.put(stream.name(), total);
      } finally {
        slices.forEach(Slice::close);
      }
    }
    return result;
  }
}
