package io.inlet.bench.report;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the machine to be quiet before a measurement, for shared machines where other people's
 * builds would distort the figures: until the CPU used by other processes, sampled over a few
 * seconds, is below a threshold.
 */
public final class QuietMachine {
  private static final long SAMPLE_MILLIS = 3000;

  private QuietMachine() {}

  /**
   * @param maxOtherCores the most CPU (in cores) other processes may use; 0 or less waits not at
   *     all
   * @param maxWaitSeconds give up waiting (and measure anyway) after this long
   */
  public static void await(double maxOtherCores, long maxWaitSeconds) throws InterruptedException {
    if (maxOtherCores <= 0) {
      return;
    }
    long self = ProcessHandle.current().pid();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxWaitSeconds);
    boolean told = false;
    while (true) {
      double machineBefore = MachineLoad.busySeconds();
      double selfBefore = ProcessUsage.snapshot(self).processSeconds();
      Thread.sleep(SAMPLE_MILLIS);
      double others =
          (MachineLoad.busySeconds()
                  - machineBefore
                  - (ProcessUsage.snapshot(self).processSeconds() - selfBefore))
              / (SAMPLE_MILLIS / 1000.0);
      if (others <= maxOtherCores) {
        return;
      }
      if (System.nanoTime() > deadline) {
        System.err.printf(
            Locale.ROOT,
            "  machine still busy (others use %.2f cores); measuring anyway%n",
            others);
        return;
      }
      if (!told) {
        System.err.printf(
            Locale.ROOT,
            "  waiting for a quiet machine (others use %.2f cores, want <= %.2f)%n",
            others,
            maxOtherCores);
        told = true;
      }
    }
  }
}
