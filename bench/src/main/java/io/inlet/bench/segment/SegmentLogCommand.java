package io.inlet.bench.segment;

import io.inlet.bench.fsync.FsyncCeiling;
import io.inlet.bench.report.DiskStats;
import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MachineLoad;
import io.inlet.bench.report.MarkdownTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segment-log}: the segment log ({@code io.inlet.store.segment}) beside the RocksDB store,
 * in process (no network), under the same loads: throughput, and device bytes written per payload
 * byte from /proc/diskstats, against the 1 MiB dsync ceiling measured first.
 */
@Command(
    name = "segment-log",
    description =
        "Append to the segment log and to the RocksDB store in process (no server) and compare"
            + " throughput and device bytes written per payload byte with the dsync ceiling.",
    mixinStandardHelpOptions = true)
public final class SegmentLogCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      description = "Directory for the logs (deleted after each cell). Default: ${DEFAULT-VALUE}.",
      defaultValue = "${sys:java.io.tmpdir}/inlet-bench-segment-log")
  Path dir;

  @Option(
      names = "--seconds",
      description = "Measured seconds per cell, after 2 s of warm-up. Default: ${DEFAULT-VALUE}.",
      defaultValue = "8")
  int seconds;

  @Option(names = "--no-rocks", description = "Run the segment log only.")
  boolean noRocks;

  @Option(names = "--no-fsync-ceiling", description = "Skip the dd oflag=dsync measurement.")
  boolean noCeiling;

  private record Load(String name, int recordBytes, int records, int threads, int shards) {}

  private static final List<Load> LOADS =
      List.of(
          new Load("1 KiB x 1000", 1024, 1000, 16, 1),
          new Load("100 B x 1000", 100, 1000, 16, 1),
          new Load("single 100 B", 100, 1, 64, 1),
          new Load("single 100 B, 16 shards", 100, 1, 64, 16));

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(dir);
    DiskStats disk = DiskStats.forDirectory(dir);
    System.out.printf(
        Locale.ROOT,
        "segment-log in %s (device %s), load average %s%n",
        dir.toAbsolutePath(),
        disk == null ? "unknown" : disk.device(),
        MachineLoad.loadAverages());
    double ceiling = 0;
    if (!noCeiling) {
      FsyncCeiling.Figures figures = FsyncCeiling.measure(dir, 256, 2000);
      ceiling = figures.bulkBytesPerSecond();
      System.out.println("fsync ceiling: " + figures.describe());
    }
    MarkdownTable table =
        new MarkdownTable(
            "load",
            "engine",
            "entries/s",
            "records/s",
            "payload MB/s",
            "of dsync ceiling",
            "device bytes / payload (window)",
            "(open to close)",
            "flushes/s");
    for (Load load : LOADS) {
      run(load, "segment log", d -> new SegmentEngine(d), disk, ceiling, table);
      if (!noRocks) {
        run(load, "RocksDB store", d -> new RocksEngine(d, load.shards()), disk, ceiling, table);
      }
    }
    table.print(System.out);
    System.out.println("load average at the end: " + MachineLoad.loadAverages());
    return 0;
  }

  private void run(
      Load load,
      String engineName,
      Function<Path, LogEngine> opener,
      DiskStats disk,
      double ceiling,
      MarkdownTable table)
      throws Exception {
    Path cellDir = dir.resolve("cell");
    LogDirs.deleteRecursively(cellDir);
    DiskStats.Snapshot atOpen = disk == null ? null : disk.snapshot();
    AppendLoad.Result result;
    try (LogEngine engine = opener.apply(cellDir)) {
      result =
          AppendLoad.run(
              engine,
              load.recordBytes() * load.records(),
              load.records(),
              load.threads(),
              load.shards(),
              2,
              seconds,
              disk);
    }
    DiskStats.Snapshot atClose = disk == null ? null : disk.snapshot();
    LogDirs.deleteRecursively(cellDir);
    double payloadPerSecond = result.payloadBytes() / result.seconds();
    table.row(
        load.name(),
        engineName,
        Figures.count(result.entries() / result.seconds()),
        Figures.count(result.entries() * (double) load.records() / result.seconds()),
        Figures.megabytes(payloadPerSecond),
        ceiling > 0 ? Figures.percent(payloadPerSecond / ceiling) : "-",
        result.deviceBytes() < 0
            ? "-"
            : Figures.twoDecimals(result.deviceBytes() / (double) result.payloadBytes()),
        atOpen == null
            ? "-"
            : Figures.twoDecimals(
                (atClose.bytesWritten() - atOpen.bytesWritten())
                    / (double) result.totalPayloadBytes()),
        result.flushes() < 0 ? "-" : Figures.count(result.flushes() / result.seconds()));
  }
}
