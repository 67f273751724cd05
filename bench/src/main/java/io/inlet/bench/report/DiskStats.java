package io.inlet.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Device counters from {@code /proc/diskstats} for the block device holding a directory: bytes
 * written and cache flushes completed (an fsync on a device with a volatile write cache issues one
 * flush), so a run can report the device's write and flush rate beside the server's.
 */
public final class DiskStats {
  private final String device;

  private DiskStats(String device) {
    this.device = device;
  }

  /** Statistics for the device holding {@code dir}, or null when they cannot be read. */
  public static DiskStats forDirectory(Path dir) {
    try {
      String name = Files.getFileStore(dir).name();
      String device = name.startsWith("/dev/") ? name.substring(5) : name;
      DiskStats stats = new DiskStats(device);
      return stats.snapshot() == null ? null : stats;
    } catch (IOException e) {
      return null;
    }
  }

  public String device() {
    return device;
  }

  /** Sectors are always 512 bytes in /proc/diskstats. */
  public record Snapshot(long bytesWritten, long writes, long flushes) {}

  public Snapshot snapshot() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/diskstats"));
      for (String line : lines) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 14 && f[2].equals(device)) {
          long flushes = f.length >= 20 ? Long.parseLong(f[18]) : -1;
          return new Snapshot(Long.parseLong(f[9]) * 512, Long.parseLong(f[7]), flushes);
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
