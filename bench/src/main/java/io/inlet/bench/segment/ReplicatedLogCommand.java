package io.inlet.bench.segment;

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
 * {@code replicated-log}: the replicated shard log (3 replicas in this process, gRPC over loopback,
 * one disk) beside one unreplicated segment log, under the same loads in the same run: throughput,
 * and device bytes written per payload byte per replica from /proc/diskstats.
 */
@Command(
    name = "replicated-log",
    description =
        "Append to a replicated shard log (replicas in process, gRPC over loopback) and to one"
            + " unreplicated segment log; compare throughput and device bytes per payload byte"
            + " per replica.",
    mixinStandardHelpOptions = true)
public final class ReplicatedLogCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      description = "Directory for the logs (deleted after each cell). Default: ${DEFAULT-VALUE}.",
      defaultValue = "${sys:java.io.tmpdir}/inlet-bench-replicated-log")
  Path dir;

  @Option(
      names = "--seconds",
      description = "Measured seconds per cell, after 2 s of warm-up. Default: ${DEFAULT-VALUE}.",
      defaultValue = "8")
  int seconds;

  @Option(
      names = "--replicas",
      description = "Replicas of the replicated log. Default: ${DEFAULT-VALUE}.",
      defaultValue = "3")
  int replicas;

  private record Load(String name, int recordBytes, int records, int threads) {}

  private static final List<Load> LOADS =
      List.of(new Load("100 B x 1000", 100, 1000, 16), new Load("single 100 B", 100, 1, 64));

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(dir);
    DiskStats disk = DiskStats.forDirectory(dir);
    System.out.printf(
        Locale.ROOT,
        "replicated-log in %s (device %s), load average %s%n",
        dir.toAbsolutePath(),
        disk == null ? "unknown" : disk.device(),
        MachineLoad.loadAverages());
    MarkdownTable table =
        new MarkdownTable(
            "load",
            "log",
            "entries/s",
            "records/s",
            "payload MB/s",
            "vs unreplicated",
            "device bytes / (payload x copies)");
    for (Load load : LOADS) {
      double single = run(load, "segment log (1 copy)", 1, SegmentEngine::new, disk, 0, table);
      run(
          load,
          replicas + " replicas",
          replicas,
          d -> new ReplicatedEngine(d, replicas, 1),
          disk,
          single,
          table);
    }
    table.print(System.out);
    System.out.println("load average at the end: " + MachineLoad.loadAverages());
    return 0;
  }

  private double run(
      Load load,
      String name,
      int copies,
      Function<Path, LogEngine> opener,
      DiskStats disk,
      double baseline,
      MarkdownTable table)
      throws Exception {
    Path cellDir = dir.resolve("cell");
    LogDirs.deleteRecursively(cellDir);
    AppendLoad.Result result;
    try (LogEngine engine = opener.apply(cellDir)) {
      result =
          AppendLoad.run(
              engine,
              load.recordBytes() * load.records(),
              load.records(),
              load.threads(),
              1,
              2,
              seconds,
              disk);
    }
    LogDirs.deleteRecursively(cellDir);
    double entriesPerSecond = result.entries() / result.seconds();
    table.row(
        load.name(),
        name,
        Figures.count(entriesPerSecond),
        Figures.count(entriesPerSecond * load.records()),
        Figures.megabytes(result.payloadBytes() / result.seconds()),
        baseline > 0 ? Figures.twoDecimals(entriesPerSecond / baseline) : "1",
        result.deviceBytes() < 0
            ? "-"
            : Figures.twoDecimals(
                result.deviceBytes() / ((double) result.payloadBytes() * copies)));
    return entriesPerSecond;
  }
}
