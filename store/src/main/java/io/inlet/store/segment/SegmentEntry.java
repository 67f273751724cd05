package io.inlet.store.segment;

import java.util.Objects;

/**
 * One entry of a shard's log: opaque bytes (a client's batch as received) with its record count,
 * flags, append time and the epoch of the leader that wrote it (0 outside a replicated log). The
 * store's own opaque entry type is being introduced at the same time; merge the two once it has
 * landed.
 */
public record SegmentEntry(
    byte[] payload, int recordCount, int flags, long appendTimeMs, long epoch) {
  public SegmentEntry {
    Objects.requireNonNull(payload, "payload");
    if (recordCount < 1) {
      throw new IllegalArgumentException("recordCount must be >= 1, found: " + recordCount);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, found: " + epoch);
    }
  }

  /** An entry of epoch 0 (an unreplicated log). */
  public SegmentEntry(byte[] payload, int recordCount, int flags, long appendTimeMs) {
    this(payload, recordCount, flags, appendTimeMs, 0);
  }

  /** This entry with another epoch (the payload is shared, not copied). */
  public SegmentEntry withEpoch(long newEpoch) {
    return new SegmentEntry(payload, recordCount, flags, appendTimeMs, newEpoch);
  }
}
