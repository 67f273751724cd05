package io.inlet.cluster.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a history of appends against what a log holds: every acknowledged id is there (none lost),
 * no id is there twice, acknowledged ids appear in the order they were acknowledged, and each
 * producer's ids (named {@code <producer>-<seq>}) appear in rising sequence. Reusable by the
 * process-level drills: it only needs ids.
 */
public final class HistoryChecker {
  private HistoryChecker() {}

  /** The violations found, empty when the log is consistent with the history. */
  public static List<String> violations(List<String> ackedInAckOrder, List<String> readInLogOrder) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < readInLogOrder.size(); i++) {
      Integer before = position.putIfAbsent(readInLogOrder.get(i), i);
      if (before != null) {
        problems.add("duplicate " + readInLogOrder.get(i) + " at " + before + " and " + i);
      }
    }
    int last = -1;
    String lastId = null;
    for (String id : ackedInAckOrder) {
      Integer at = position.get(id);
      if (at == null) {
        problems.add("lost acknowledged " + id);
        continue;
      }
      if (at < last) {
        problems.add(
            "acknowledged " + id + " (at " + at + ") before " + lastId + " (at " + last + ")");
      }
      last = at;
      lastId = id;
    }
    Map<String, Long> lastSeq = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (String id : readInLogOrder) {
      int dash = id.lastIndexOf('-');
      if (dash < 0) {
        continue;
      }
      String producer = id.substring(0, dash);
      long seq = Long.parseLong(id.substring(dash + 1));
      Long previous = lastSeq.put(producer, seq);
      if (previous != null && previous >= seq && reported.add(producer)) {
        problems.add("producer " + producer + ": " + seq + " after " + previous);
      }
    }
    return problems;
  }
}
