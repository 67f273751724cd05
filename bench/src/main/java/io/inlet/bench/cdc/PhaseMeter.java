package io.inlet.bench.cdc;

import io.inlet.bench.report.ProcessCpu;

/** CPU of this JVM and of everything else, and the load average, over one measured phase. */
final class PhaseMeter {
  private final long pid = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final double machineBefore = ProcessCpu.machineBusySeconds();
  private final ProcessCpu.Snapshot selfBefore = ProcessCpu.snapshot(pid);

  record Reading(double seconds, double benchCores, double otherCores, double load) {}

  /** The reading up to {@code endNanos} (CPU is read now: call it right after the phase ends). */
  Reading read(long endNanos) {
    double seconds = (endNanos - startNanos) / 1e9;
    ProcessCpu.Snapshot selfAfter = ProcessCpu.snapshot(pid);
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double self = selfAfter.processSeconds() - selfBefore.processSeconds();
    double machine = ProcessCpu.machineBusySeconds() - machineBefore;
    return new Reading(seconds, self / wall, (machine - self) / wall, ProcessCpu.loadAverage());
  }
}
