package io.inlet.bench.report;

import java.io.IOException;

/** USER_HZ, the unit of the CPU times in {@code /proc}: {@code getconf CLK_TCK}, else 100. */
final class ClockTicks {
  static final double PER_SECOND = read();

  private ClockTicks() {}

  private static double read() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      getconf.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
