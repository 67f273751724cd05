package io.inlet.bench.cdc;

import io.inlet.bench.report.MachineLoad;
import io.inlet.bench.report.ProcessUsage;

/** CPU of this JVM and of everything else, and the load average, over one measured phase. */
final class PhaseMeter {
  private final long pid = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final double machineBefore = MachineLoad.busySeconds();
  private final ProcessUsage.Snapshot selfBefore = ProcessUsage.snapshot(pid);

  record Reading(double seconds, double benchCores, double otherCores, double load) {}

  /** The reading up to {@code endNanos} (CPU is read now: call it right after the phase ends). */
  Reading read(long endNanos) {
    double seconds = (endNanos - startNanos) / 1e9;
    ProcessUsage.Snapshot selfAfter = ProcessUsage.snapshot(pid);
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double self = selfAfter.processSeconds() - selfBefore.processSeconds();
    double machine = MachineLoad.busySeconds() - machineBefore;
    return new Reading(seconds, self / wall, (machine - self) / wall, MachineLoad.loadAverage());
  }
}
