package io.inlet.bench.report;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a server's JIT compilers have settled: the HotSpot compiler threads ({@code C1
 * CompilerThread*}, {@code C2 CompilerThread*}; the kernel shows them as {@code C2 CompilerThre})
 * use at most {@link #SETTLED_CORES} over a {@link #WINDOW}. A server still compiling its hot path
 * spends CPU on the compiler and runs part of the path interpreted or at C1: on the append path a
 * node measured 8 s after start used about twice the CPU per Append it used once warm, while the
 * bench's small null server settles within seconds. Measuring both only once settled keeps such a
 * comparison fair.
 */
public final class JitSettling {
  /** Compiler CPU at or below which the JIT counts as settled. */
  public static final double SETTLED_CORES = 0.05;

  /** How long the compiler CPU is measured for each check. */
  public static final Duration WINDOW = Duration.ofSeconds(2);

  private JitSettling() {}

  /**
   * Waits, up to {@code limit}, for the compiler threads of {@code pid} to settle.
   *
   * @return how long it waited; {@code limit} when they did not settle in time
   */
  public static Duration await(long pid, Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + limit.toNanos();
    while (System.nanoTime() + WINDOW.toNanos() <= end) {
      double before = compilerSeconds(pid);
      TimeUnit.NANOSECONDS.sleep(WINDOW.toNanos());
      double used = (compilerSeconds(pid) - before) / (WINDOW.toNanos() / 1e9);
      if (used <= SETTLED_CORES) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
    }
    return limit;
  }

  /** CPU seconds the process's JIT compiler threads have used so far. */
  static double compilerSeconds(long pid) {
    double sum = 0;
    for (Map.Entry<String, Double> thread : ProcessUsage.snapshot(pid).threadSeconds().entrySet()) {
      if (isCompiler(thread.getKey())) {
        sum += thread.getValue();
      }
    }
    return sum;
  }

  /** Whether a "name/tid" key of {@link ProcessUsage.Snapshot} is a HotSpot compiler thread. */
  static boolean isCompiler(String threadKey) {
    return threadKey.startsWith("C1 CompilerThre") || threadKey.startsWith("C2 CompilerThre");
  }
}
