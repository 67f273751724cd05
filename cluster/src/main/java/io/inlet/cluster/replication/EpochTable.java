package io.inlet.cluster.replication;

import io.inlet.cluster.replication.proto.EpochStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which epoch wrote each entry of a shard's log, as the first LSN of every run of entries of one
 * epoch. Epochs never fall along a log, so a table of a few rows describes it all. Two logs that
 * hold an entry of the same epoch at the same LSN hold the same entries up to it (one leader per
 * epoch, which sends an entry only after the follower matched the one before): comparing tables is
 * how a leader finds where a follower's log parts from its own ({@link #divergence}).
 */
final class EpochTable {
  private final TreeMap<Long, Long> epochByFirstLsn = new TreeMap<>();

  /** The epoch of the entry at {@code lsn}; 0 for LSN 0 (before the log) or an empty table. */
  synchronized long epochAt(long lsn) {
    Map.Entry<Long, Long> row = lsn < 1 ? null : epochByFirstLsn.floorEntry(lsn);
    return row == null ? 0 : row.getValue();
  }

  /** The first LSN of the run holding {@code lsn} (1 when none). */
  synchronized long runStart(long lsn) {
    Long first = lsn < 1 ? null : epochByFirstLsn.floorKey(lsn);
    return first == null ? 1 : first;
  }

  /** The first LSN of the run after the one holding {@code lsn}; Long.MAX_VALUE when none. */
  synchronized long nextRunStart(long lsn) {
    Long next = epochByFirstLsn.higherKey(lsn);
    return next == null ? Long.MAX_VALUE : next;
  }

  /** Notes that the entry at {@code lsn}, appended after every lower one, has {@code epoch}. */
  synchronized void appended(long lsn, long epoch) {
    Map.Entry<Long, Long> last = epochByFirstLsn.lastEntry();
    if (last == null || last.getValue() != epoch) {
      epochByFirstLsn.put(lsn, epoch);
    }
  }

  /** Forgets the entries after {@code lsn}. */
  synchronized void truncateAfter(long lsn) {
    epochByFirstLsn.tailMap(lsn, false).clear();
  }

  synchronized List<EpochStart> rows() {
    List<EpochStart> rows = new ArrayList<>(epochByFirstLsn.size());
    epochByFirstLsn.forEach(
        (first, epoch) ->
            rows.add(EpochStart.newBuilder().setEpoch(epoch).setFirstLsn(first).build()));
    return rows;
  }

  static EpochTable of(List<EpochStart> rows) {
    EpochTable table = new EpochTable();
    for (EpochStart row : rows) {
      table.epochByFirstLsn.put(row.getFirstLsn(), row.getEpoch());
    }
    return table;
  }

  /**
   * The highest LSN at which two logs (with tails {@code tailA} and {@code tailB}) hold the same
   * entry, so both hold the same entries up to it; 0 when they share none. Within a run of one
   * epoch on each side the comparison cannot change, so it jumps from run to run.
   */
  static long divergence(EpochTable a, long tailA, EpochTable b, long tailB) {
    long lsn = Math.min(tailA, tailB);
    while (lsn > 0) {
      if (a.epochAt(lsn) == b.epochAt(lsn)) {
        return lsn;
      }
      lsn = Math.max(a.runStart(lsn), b.runStart(lsn)) - 1;
    }
    return 0;
  }
}
