package io.inlet.store.segment;

import java.util.Objects;

/**
 * One entry of a shard's log: opaque bytes (a client's batch as received) with its record count,
 * flags and append time. The store's own opaque entry type is being introduced at the same time;
 * merge the two once it has landed.
 */
public record SegmentEntry(byte[] payload, int recordCount, int flags, long appendTimeMs) {
  public SegmentEntry {
    Objects.requireNonNull(payload, "payload");
    if (recordCount < 1) {
      throw new IllegalArgumentException("recordCount must be >= 1, found: " + recordCount);
    }
  }
}
