package io.inlet.bench.fsync;

import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MarkdownTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fsync-ceiling}: what the disk can do with synchronous writes, for reference. */
@Command(
    name = "fsync-ceiling",
    description =
        "Measure the raw fsync'd write bandwidth and small synced-write rate of a directory's"
            + " filesystem with dd oflag=dsync.",
    mixinStandardHelpOptions = true)
public final class FsyncCeilingCommand implements Callable<Integer> {

  @Mixin MeasuredDirectory measured;

  @Option(
      names = "--bulk-mib",
      description = "MiB written in 1 MiB synced writes. Default: ${DEFAULT-VALUE}.",
      defaultValue = "256")
  int bulkMebibytes;

  @Option(
      names = "--small-writes",
      description = "Number of synced 4 KiB writes. Default: ${DEFAULT-VALUE}.",
      defaultValue = "5000")
  int smallWrites;

  @Option(
      names = "--repeat",
      description = "Measure this many times. Default: ${DEFAULT-VALUE}.",
      defaultValue = "3")
  int repeat;

  @Override
  public Integer call() {
    MarkdownTable table =
        new MarkdownTable("run", "1 MiB dsync MB/s", "4 KiB dsync writes/s", "us per sync write");
    for (int i = 1; i <= repeat; i++) {
      FsyncCeiling.Figures figures =
          FsyncCeiling.measure(measured.path(), bulkMebibytes, smallWrites);
      table.row(
          i,
          Figures.megabytes(figures.bulkBytesPerSecond()),
          Figures.count(figures.smallWritesPerSecond()),
          Figures.oneDecimal(1e6 / figures.smallWritesPerSecond()));
    }
    System.out.println("fsync ceiling in " + measured.path().toAbsolutePath());
    table.print(System.out);
    return 0;
  }
}
