package io.inlet.store.internal;

import io.inlet.store.ShardStorage;

/** {@link RocksShardLogTest} on a store that keeps its entries in segment files. */
class SegmentShardLogContractTest extends RocksShardLogTest {
  @Override
  ShardStorage storage() {
    return ShardStorage.SEGMENTS;
  }

  /** {@code appendAt} is RocksDB's alone (a replication layer's); not a test here. */
  @Override
  void appendAt_is_idempotent_and_refuses_gaps() {}
}
