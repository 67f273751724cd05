package io.inlet.store.internal;

import io.inlet.store.ShardStorage;

/** {@link TrimAndRetentionTest} on a store that keeps its entries in segment files. */
class SegmentTrimAndRetentionTest extends TrimAndRetentionTest {
  @Override
  ShardStorage storage() {
    return ShardStorage.SEGMENTS;
  }
}
