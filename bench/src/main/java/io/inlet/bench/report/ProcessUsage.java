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
 * CPU time of a process and of each of its threads, and its resident memory, from {@code /proc}
 * (Linux only; snapshots are empty elsewhere). Thread names are the kernel's, cut to 15 characters.
 * The machine as a whole: {@link MachineLoad}.
 */
public final class ProcessUsage {
  private ProcessUsage() {}

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

  /** utime + stime of the process, all threads, in seconds; throws when /proc cannot say. */
  public static double cpuSeconds(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      return cpuSeconds(Files.readString(stat));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot read the CPU time of process " + pid + " in " + stat, e);
    }
  }

  /** VmRSS of the process in bytes; throws when /proc cannot say. */
  public static long residentBytes(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IllegalStateException("no VmRSS in " + status);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + status, e);
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
      return cpuSeconds(Files.readString(stat));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double cpuSeconds(String statLine) {
    // The name (field 2) may hold spaces; after it: state is field 3, utime 14, stime 15.
    String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ClockTicks.PER_SECOND;
  }
}
