package io.inlet.store.internal;

import io.inlet.store.ShardStorage;

/** {@link AwaitBeyondTest} on a store that keeps its entries in segment files. */
class SegmentAwaitBeyondTest extends AwaitBeyondTest {
  @Override
  ShardStorage storage() {
    return ShardStorage.SEGMENTS;
  }
}
