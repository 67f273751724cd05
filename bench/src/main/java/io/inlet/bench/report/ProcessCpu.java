package io.inlet.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process and of each of its threads, from {@code /proc} (Linux only; empty
 * elsewhere). Thread names are the kernel's, cut to 15 characters.
 */
public final class ProcessCpu {
  /** USER_HZ: the unit of the times in /proc/PID/stat; 100 on every mainstream Linux build. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  /** CPU seconds (user + system) per thread, keyed by "name/tid". */
  public record Snapshot(long pid, double processSeconds, Map<String, Double> threadSeconds) {
    static final Snapshot EMPTY = new Snapshot(-1, 0, Map.of());
  }

  public static Snapshot snapshot(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    if (!Files.isDirectory(proc)) {
      return Snapshot.EMPTY;
    }
    double process = readSeconds(proc.resolve("stat"));
    Map<String, Double> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
      for (Path task : tasks.toList()) {
        String name = threadName(task.resolve("stat"));
        if (name != null) {
          threads.put(name + "/" + task.getFileName(), readSeconds(task.resolve("stat")));
        }
      }
    } catch (IOException e) {
      // the process exited: keep what we have
    }
    return new Snapshot(pid, process, threads);
  }

  /** CPU used between two snapshots, as a fraction of one core, over {@code seconds}. */
  public static double coresUsed(Snapshot before, Snapshot after, double seconds) {
    return (after.processSeconds() - before.processSeconds()) / seconds;
  }

  /**
   * The busiest threads between two snapshots, grouped by name without trailing digits (so the pool
   * {@code grpc-default-wo} counts as one line), as "name ×count: cores".
   */
  public static List<String> busiestThreadGroups(
      Snapshot before, Snapshot after, double seconds, int limit) {
    Map<String, double[]> groups = new HashMap<>();
    after
        .threadSeconds()
        .forEach(
            (key, now) -> {
              double used = now - before.threadSeconds().getOrDefault(key, 0.0);
              String group = key.substring(0, key.lastIndexOf('/')).replaceAll("[-_#0-9]+$", "");
              double[] sums = groups.computeIfAbsent(group, g -> new double[2]);
              sums[0] += used;
              sums[1] += 1;
            });
    List<Map.Entry<String, double[]>> sorted = new ArrayList<>(groups.entrySet());
    sorted.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, double[]> entry : sorted.subList(0, Math.min(limit, sorted.size()))) {
      lines.add(
          String.format(
              "%s x%d: %.2f cores",
              entry.getKey(), (int) entry.getValue()[1], entry.getValue()[0] / seconds));
    }
    return lines;
  }

  /**
   * CPU seconds the whole machine has been busy (all cores: user, nice, system, irq, softirq,
   * steal), from the first line of /proc/stat; NaN where it cannot be read.
   */
  public static double machineBusySeconds() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The 1-minute load average, or NaN. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String threadName(Path stat) {
    try {
      String line = Files.readString(stat);
      return line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }

  private static double readSeconds(Path stat) {
    try {
      String line = Files.readString(stat);
      // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
