package io.inlet.bench.report;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a measured interval cost: CPU of the server and of this benchmark process, and the device's
 * writes and flushes. Figures the host cannot give are NaN.
 */
public final class ResourceWindow {
  private static final long SELF = ProcessHandle.current().pid();

  private final long startNanos = System.nanoTime();
  private final OptionalLong serverPid;
  private final DiskStats disk;
  private final ProcessUsage.Snapshot serverBefore;
  private final ProcessUsage.Snapshot selfBefore;
  private final DiskStats.Snapshot diskBefore;
  private final double machineBefore = MachineLoad.busySeconds();
  private final double loadBefore = MachineLoad.loadAverage();

  private ResourceWindow(OptionalLong serverPid, DiskStats disk) {
    this.serverPid = serverPid;
    this.disk = disk;
    this.serverBefore = serverPid.isPresent() ? ProcessUsage.snapshot(serverPid.getAsLong()) : null;
    this.selfBefore = ProcessUsage.snapshot(SELF);
    this.diskBefore = disk == null ? null : disk.snapshot();
  }

  /** Starts a window; {@code disk} may be null. */
  public static ResourceWindow start(OptionalLong serverPid, DiskStats disk) {
    return new ResourceWindow(serverPid, disk);
  }

  /**
   * @param seconds the interval's length
   * @param serverCores CPU cores the server used on average
   * @param benchCores CPU cores this load generator used on average
   * @param deviceWriteBytesPerSecond bytes the data dir's device wrote per second (all writers)
   * @param deviceFlushesPerSecond cache flushes the device completed per second
   * @param serverThreads the server's busiest thread groups
   * @param otherCores CPU cores used by everything else on the machine (other builds, tests):
   *     figures taken while this is high are distorted
   * @param loadAverage the highest 1-minute load average seen at the start or end
   */
  public record Usage(
      double seconds,
      double serverCores,
      double benchCores,
      double deviceWriteBytesPerSecond,
      double deviceFlushesPerSecond,
      List<String> serverThreads,
      double otherCores,
      double loadAverage) {}

  public Usage finish() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double serverCores = Double.NaN;
    List<String> threads = List.of();
    if (serverBefore != null) {
      ProcessUsage.Snapshot serverAfter = ProcessUsage.snapshot(serverPid.getAsLong());
      serverCores = ProcessUsage.coresUsed(serverBefore, serverAfter, seconds);
      threads = ProcessUsage.busiestThreadGroups(serverBefore, serverAfter, seconds, 8);
    }
    double benchCores = ProcessUsage.coresUsed(selfBefore, ProcessUsage.snapshot(SELF), seconds);
    double writeRate = Double.NaN;
    double flushRate = Double.NaN;
    DiskStats.Snapshot diskAfter = disk == null ? null : disk.snapshot();
    if (diskBefore != null && diskAfter != null) {
      writeRate = (diskAfter.bytesWritten() - diskBefore.bytesWritten()) / seconds;
      if (diskAfter.flushes() >= 0) {
        flushRate = (diskAfter.flushes() - diskBefore.flushes()) / seconds;
      }
    }
    double machineCores = (MachineLoad.busySeconds() - machineBefore) / seconds;
    double otherCores =
        Math.max(0, machineCores - benchCores - (Double.isNaN(serverCores) ? 0 : serverCores));
    double load = Math.max(loadBefore, MachineLoad.loadAverage());
    return new Usage(
        seconds, serverCores, benchCores, writeRate, flushRate, threads, otherCores, load);
  }
}
