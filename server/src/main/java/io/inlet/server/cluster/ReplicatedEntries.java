package io.inlet.server.cluster;

import com.google.protobuf.UnsafeByteOperations;
import io.inlet.store.Entry;
import io.inlet.store.StoredEntry;
import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;

/**
 * The store's {@link Entry} as the replicated shard log carries it, and back: the payload, the
 * record count, the entry's format tag as the segment entry's flags, and the time the leader
 * appended it. The LSN the log gives is the entry's LSN (HStreamDB's batch id).
 */
final class ReplicatedEntries {
  private ReplicatedEntries() {}

  /** The entry to append, stamped with the leader's clock (the epoch is the leader's to set). */
  static SegmentEntry toSegment(Entry entry, long appendTimeMs) {
    return new SegmentEntry(
        entry.payload().toByteArray(), entry.recordCount(), entry.format(), appendTimeMs);
  }

  /** An entry read back from a replica (the payload shared, not copied). */
  static StoredEntry toStored(long shardId, LoggedEntry logged) {
    SegmentEntry e = logged.entry();
    return new StoredEntry(
        shardId,
        logged.lsn(),
        e.appendTimeMs(),
        new Entry(e.recordCount(), e.flags(), UnsafeByteOperations.unsafeWrap(e.payload())));
  }
}
