package io.inlet.cluster.replication;

import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Entries with a text payload, and a copy's payloads as text, for the replication tests. */
final class TestEntries {
  private TestEntries() {}

  /** One record of {@code payload}, no epoch yet. */
  static SegmentEntry entry(String payload) {
    return new SegmentEntry(payload.getBytes(StandardCharsets.UTF_8), 1, 0, 1L);
  }

  static SegmentEntry entry(String payload, long epoch) {
    return entry(payload).withEpoch(epoch);
  }

  /** Every entry the copy holds, as text, in LSN order. */
  static List<String> payloads(ReplicaShard copy) {
    return copy.read(1, Long.MAX_VALUE, 100).stream()
        .map(LoggedEntry::entry)
        .map(e -> new String(e.payload(), StandardCharsets.UTF_8))
        .toList();
  }
}
