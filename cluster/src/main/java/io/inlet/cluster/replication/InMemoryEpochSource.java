package io.inlet.cluster.replication;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Epochs counted in memory, one counter per shard: for tests and the benchmark (one process). */
public final class InMemoryEpochSource implements EpochSource {
  private final ConcurrentMap<Long, Long> last = new ConcurrentHashMap<>();

  @Override
  public long nextEpoch(long shardId) {
    return last.merge(shardId, 1L, Long::sum);
  }
}
