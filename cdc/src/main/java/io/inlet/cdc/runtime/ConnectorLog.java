package io.inlet.cdc.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@value #CAPACITY} lines a connector logged (starts, failures, restarts, dead-lettered
 * records), for GetConnectorLogs. Older lines are dropped; line numbers keep counting so a reader
 * can page. Thread-safe.
 */
public final class ConnectorLog {
  static final int CAPACITY = 1000;
  private static final int MAX_LINE = 2000;

  private final Deque<String> lines = new ArrayDeque<>();
  private long dropped;

  public synchronized void add(String message) {
    String line = Instant.now() + " " + message.replace('\n', ' ');
    if (line.length() > MAX_LINE) {
      line = line.substring(0, MAX_LINE) + "...";
    }
    lines.addLast(line);
    if (lines.size() > CAPACITY) {
      lines.removeFirst();
      dropped++;
    }
  }

  /**
   * Up to {@code count} lines from line {@code begin} (0 is the first line ever logged; lines
   * dropped since are skipped); {@code count <= 0} means all.
   */
  public synchronized List<String> read(long begin, int count) {
    List<String> all = new ArrayList<>(lines);
    int from = (int) Math.max(0, Math.min(all.size(), begin - dropped));
    int to = count <= 0 ? all.size() : (int) Math.min(all.size(), (long) from + count);
    return List.copyOf(all.subList(from, to));
  }
}
