package io.inlet.cluster.replication;

import io.inlet.store.segment.SegmentEntry;
import java.util.List;

/**
 * What a leader sends a follower in one request: entries with LSNs {@code prevLsn + 1} onwards,
 * each carrying the epoch that wrote it, following the leader's entry ({@code prevLsn}, {@code
 * prevEpoch}).
 *
 * @param epoch the sending leader's epoch
 * @param committedLsn the leader's committed LSN
 * @param epochFirstLsn the first LSN of the leader's epoch in its log
 * @param restartAtLsn above 0 when the follower should start its log again, empty, at this LSN (the
 *     leader's first) unless it holds the entry the batch follows
 */
record AppendBatch(
    long shardId,
    long epoch,
    long prevLsn,
    long prevEpoch,
    List<SegmentEntry> entries,
    long committedLsn,
    long epochFirstLsn,
    long restartAtLsn) {
  long lastLsn() {
    return prevLsn + entries.size();
  }
}
