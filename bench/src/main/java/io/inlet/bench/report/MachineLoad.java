package io.inlet.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How busy the whole machine is, from {@code /proc} (Linux only; NaN elsewhere). */
public final class MachineLoad {
  private MachineLoad() {}

  /**
   * CPU seconds the whole machine has been busy (all cores: user, nice, system, irq, softirq,
   * steal), from the first line of /proc/stat; NaN where it cannot be read.
   */
  public static double busySeconds() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / ClockTicks.PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The 1-, 5- and 15-minute load averages and the run queue as /proc/loadavg has them. */
  public static String loadAverages() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
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
}
