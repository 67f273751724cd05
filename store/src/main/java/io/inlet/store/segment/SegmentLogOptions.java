package io.inlet.store.segment;

/**
 * Limits of a segment log.
 *
 * @param segmentBytes a shard's active segment is sealed and a new one started once it reaches this
 *     size
 * @param indexIntervalBytes the sparse index gets one (LSN, position) pair per this many bytes of
 *     entries
 * @param maxEntryBytes the largest payload an entry may have
 * @param maxGroupBytes a group commit stops taking entries beyond this many payload bytes
 * @param directWrites whether the active segments are written with {@code O_DIRECT} (where the
 *     filesystem allows it) rather than through the page cache
 */
public record SegmentLogOptions(
    long segmentBytes,
    int indexIntervalBytes,
    int maxEntryBytes,
    long maxGroupBytes,
    boolean directWrites) {
  public static final SegmentLogOptions DEFAULTS =
      new SegmentLogOptions(128L << 20, 64 << 10, 32 << 20, 64L << 20);

  /** Limits with direct writes. */
  public SegmentLogOptions(
      long segmentBytes, int indexIntervalBytes, int maxEntryBytes, long maxGroupBytes) {
    this(segmentBytes, indexIntervalBytes, maxEntryBytes, maxGroupBytes, true);
  }

  /** These limits, with or without direct writes. */
  public SegmentLogOptions withDirectWrites(boolean direct) {
    return new SegmentLogOptions(
        segmentBytes, indexIntervalBytes, maxEntryBytes, maxGroupBytes, direct);
  }

  public SegmentLogOptions {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be >= 4096, found: " + segmentBytes);
    }
    if (indexIntervalBytes < 1) {
      throw new IllegalArgumentException(
          "indexIntervalBytes must be >= 1, found: " + indexIntervalBytes);
    }
    if (maxEntryBytes < 1) {
      throw new IllegalArgumentException("maxEntryBytes must be >= 1, found: " + maxEntryBytes);
    }
    if (maxGroupBytes < 1) {
      throw new IllegalArgumentException("maxGroupBytes must be >= 1, found: " + maxGroupBytes);
    }
  }
}
