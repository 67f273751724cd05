package io.inlet.bench.drill;

import io.inlet.bench.report.MarkdownTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A drill's outcome: the four counts every drill reports (attempts, acknowledged, lost, crashes),
 * figures of its own, one row per case where it has cases, and the findings (each a broken
 * expectation, in words). Passes when nothing acknowledged was lost, the node never crashed where
 * it should not, and there is no finding. Thread-safe counters.
 */
final class Tally {
  private final String drill;
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong lost = new AtomicLong();
  final AtomicLong crashes = new AtomicLong();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String> findings = new ArrayList<>();
  private MarkdownTable cases;

  Tally(String drill) {
    this.drill = drill;
  }

  synchronized void figure(String name, Object value) {
    figures.put(name, value);
  }

  synchronized void add(String name, long delta) {
    figures.merge(name, delta, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
  }

  synchronized long figure(String name) {
    Object value = figures.get(name);
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** A broken expectation, stated so that a reader knows what was expected and what happened. */
  synchronized void finding(String text) {
    findings.add(text);
  }

  synchronized List<String> findings() {
    return List.copyOf(findings);
  }

  /** The per-case table, created with these headers on first use. */
  synchronized MarkdownTable cases(String... headers) {
    if (cases == null) {
      cases = new MarkdownTable(headers);
    }
    return cases;
  }

  boolean passed() {
    return lost.get() == 0 && crashes.get() == 0 && findings().isEmpty();
  }

  /** The summary line: {@code drill=NAME attempts=.. acknowledged=.. lost=.. crashes=.. ...}. */
  synchronized String summaryLine(String result) {
    StringBuilder line =
        new StringBuilder("drill=")
            .append(drill)
            .append(" date=")
            .append(LocalDate.now())
            .append(" attempts=")
            .append(attempts.get())
            .append(" acknowledged=")
            .append(acknowledged.get())
            .append(" lost=")
            .append(lost.get())
            .append(" crashes=")
            .append(crashes.get());
    figures.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
    line.append(" findings=").append(findings.size()).append(" result=").append(result);
    return line.toString();
  }

  /**
   * Prints the case table, the findings and the summary line; appends the line to {@code
   * summaryFile} when given.
   *
   * @return the exit code: 0 when the drill passed, 1 otherwise
   */
  int report(PrintStream out, Path summaryFile) {
    return report(out, summaryFile, passed(), passed() ? "PASS" : "FAIL");
  }

  int report(PrintStream out, Path summaryFile, boolean passed, String result) {
    synchronized (this) {
      out.println();
      if (cases != null) {
        cases.print(out);
        out.println();
      }
      for (String finding : findings) {
        out.println("FINDING: " + finding);
      }
    }
    String line = summaryLine(result);
    out.println(line);
    out.flush();
    if (summaryFile != null) {
      try {
        Files.writeString(
            summaryFile,
            line + System.lineSeparator(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + summaryFile, e);
      }
    }
    return passed ? 0 : 1;
  }
}
