package io.inlet.store.internal;

import io.inlet.store.ShardInfo;
import io.inlet.store.metrics.StoreMetrics;
import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogException;

/**
 * Bytes each stream's shards take in the segment log: the sizes of their files (segments and
 * indexes), listed when asked (on a scrape). Entries hidden by a trim count until their segment is
 * deleted.
 */
final class SegmentDiskUsage implements StoreMetrics.DiskUsage {
  private final SegmentLog segments;
  private final RocksStreamCatalog streams;
  private final StoreGate gate;

  SegmentDiskUsage(SegmentLog segments, RocksStreamCatalog streams, StoreGate gate) {
    this.segments = segments;
    this.streams = streams;
    this.gate = gate;
  }

  @Override
  public double bytes(String stream) {
    if (gate.isClosed()) {
      return Double.NaN;
    }
    var info = streams.get(stream);
    if (info.isEmpty()) {
      return Double.NaN;
    }
    try {
      long total = 0;
      for (ShardInfo shard : info.get().shards()) {
        total += segments.diskBytes(shard.shardId());
      }
      return total;
    } catch (SegmentLogException e) {
      return Double.NaN;
    }
  }
}
