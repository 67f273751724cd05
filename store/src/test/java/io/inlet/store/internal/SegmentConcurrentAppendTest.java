package io.inlet.store.internal;

import io.inlet.store.ShardStorage;

/** {@link ConcurrentAppendTest} on a store that keeps its entries in segment files. */
class SegmentConcurrentAppendTest extends ConcurrentAppendTest {
  @Override
  ShardStorage storage() {
    return ShardStorage.SEGMENTS;
  }
}
