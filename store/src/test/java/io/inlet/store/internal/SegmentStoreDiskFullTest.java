package io.inlet.store.internal;

import io.inlet.store.ShardStorage;

/**
 * {@link StoreDiskFullTest} on a store that keeps its entries in segment files: after the failed
 * write the segment log is reopened once there is room ({@link
 * io.inlet.store.segment.SegmentLogReopener}), and nothing of the failed appends stays.
 */
class SegmentStoreDiskFullTest extends StoreDiskFullTest {
  @Override
  ShardStorage storage() {
    return ShardStorage.SEGMENTS;
  }

  /**
   * More room than RocksDB alone needs: the segment log's shared journal takes its whole size (32
   * MiB) when the log is created, beside RocksDB's preallocated WAL.
   */
  @Override
  int roomMegabytes() {
    return 128;
  }

  @Override
  String resumeCondition() {
    return " has 4.0 MiB free; it has [0-9.]+ MiB now";
  }
}
