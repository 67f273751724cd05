package io.inlet.store.segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shared journal as the segment writer uses it: which groups go through it (those whose frame
 * takes at most {@link SegmentLogOptions#journalGroupBytes()}), and which shards' segments hold
 * entries that only the journal makes durable, since its last checkpoint. A checkpoint syncs those
 * segments and starts the journal again from its beginning. Writer thread only.
 */
final class JournalCoverage {
  /**
   * How many times per lap of the journal the segments it covers are written back in the
   * background, so that a checkpoint (during which the writer takes no appends) syncs at most about
   * this share of a lap's segment bytes instead of all of them.
   */
  static final int WRITE_BACKS_PER_LAP = 8;

  private final SharedJournal journal; // null without one
  private final int groupBytes;
  private final SegmentSyncs syncs;
  private final Set<ShardSegments> covered = new LinkedHashSet<>();
  private long writeBackAt; // the journal position past which the next write-back starts

  JournalCoverage(SharedJournal journal, int groupBytes, SegmentSyncs syncs) {
    this.journal = journal;
    this.groupBytes = groupBytes;
    this.syncs = syncs;
    this.writeBackAt = journal == null ? Long.MAX_VALUE : writeBackStep();
  }

  /**
   * Whether a group of {@code appends} entries and {@code payloadBytes} goes through the journal.
   */
  boolean takes(int appends, long payloadBytes) {
    return journal != null && SharedJournal.frameBytes(appends, payloadBytes) <= groupBytes;
  }

  /** Whether such a group (one the journal takes) needs a checkpoint first to find room. */
  boolean full(int appends, long payloadBytes) {
    return !journal.fits(SharedJournal.frameBytes(appends, payloadBytes));
  }

  /** Writes a group's frame, which wrote to {@code shards}' segments (not synced). */
  void write(
      List<? extends SharedJournal.SegmentEntryOf> group,
      long[] lsns,
      Collection<ShardSegments> shards)
      throws IOException {
    journal.write(group, lsns);
    covered.addAll(shards);
    if (journal.position() >= writeBackAt) {
      writeBackAt = journal.position() + writeBackStep();
      List<SegmentFile> active = new ArrayList<>(covered.size());
      for (ShardSegments shard : covered) {
        active.add(shard.syncPoint().segment()); // sealed ones were synced when sealed
      }
      syncs.writeBack(active);
    }
  }

  private long writeBackStep() {
    return Math.max(1, journal.capacity() / WRITE_BACKS_PER_LAP);
  }

  /** Whether the journal holds entries of {@code shard} its segments have not synced. */
  boolean covers(ShardSegments shard) {
    return covered.contains(shard);
  }

  /** True when no segment waits for a checkpoint (always, without a journal). */
  boolean isEmpty() {
    return covered.isEmpty();
  }

  /**
   * Syncs the segments the journal covers, then starts the journal again. The caller has waited for
   * every written group to be synced: none is in the journal only after this.
   */
  void checkpoint() throws IOException {
    List<ShardSegments.SyncPoint> points = new ArrayList<>(covered.size());
    for (ShardSegments shard : covered) {
      points.add(shard.syncPoint());
    }
    syncs.force(points, false);
    points.forEach(ShardSegments.SyncPoint::markSynced);
    covered.clear();
    journal.restart();
    writeBackAt = writeBackStep();
  }
}
