package io.inlet.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a history of appends against what a log holds: every acknowledged id is there (none lost),
 * no id is there twice, an append invoked after another was acknowledged sits after it (real-time
 * order), and each producer's ids (named {@code <producer>-<seq>}) appear in rising sequence. It
 * only needs ids and the order of events, so the process-level drills can reuse it.
 */
public final class HistoryChecker {
  /** What happened to an append, in the order the client saw it. */
  public record Event(Kind kind, String id) {
    public static Event invoked(String id) {
      return new Event(Kind.INVOKED, id);
    }

    public static Event acked(String id) {
      return new Event(Kind.ACKED, id);
    }
  }

  /** An append was sent, or acknowledged. (Failed appends need no event: they may be anywhere.) */
  public enum Kind {
    INVOKED,
    ACKED
  }

  private HistoryChecker() {}

  /** The violations found, empty when the log is consistent with the history. */
  public static List<String> violations(List<Event> history, List<String> logInOrder) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < logInOrder.size(); i++) {
      Integer before = position.putIfAbsent(logInOrder.get(i), i);
      if (before != null) {
        problems.add("duplicate " + logInOrder.get(i) + " at " + before + " and " + i);
      }
    }
    int highestAcked = -1;
    String highestAckedId = null;
    for (Event event : history) {
      Integer at = position.get(event.id());
      if (event.kind() == Kind.ACKED) {
        if (at == null) {
          problems.add("lost acknowledged " + event.id());
        } else if (at > highestAcked) {
          highestAcked = at;
          highestAckedId = event.id();
        }
      } else if (at != null && at < highestAcked) {
        problems.add(
            event.id()
                + " (at "
                + at
                + ") was sent after "
                + highestAckedId
                + " (at "
                + highestAcked
                + ") was acknowledged, yet sits before it");
      }
    }
    Map<String, Long> lastSeq = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (String id : logInOrder) {
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
