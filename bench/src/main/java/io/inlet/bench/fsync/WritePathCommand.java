package io.inlet.bench.fsync;

import com.sun.management.ThreadMXBean;
import com.sun.nio.file.ExtendedOpenOption;
import io.inlet.bench.report.Figures;
import io.inlet.bench.report.MarkdownTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code write-path}: the cost of the segment log's write pattern (1 MiB writes appended to a new
 * file, an fdatasync per group) through the page cache and with {@code O_DIRECT}, in MB/s and in
 * the writing thread's CPU per MiB. It shows how much of a log writer's CPU is the kernel copying
 * into page-cache pages, which is what bounds {@code shard-storage: segments} on some machines.
 */
@Command(
    name = "write-path",
    description =
        "Compare appending 1 MiB writes with an fdatasync per group through the page cache and"
            + " with O_DIRECT: MB/s and the writer's CPU per MiB.",
    mixinStandardHelpOptions = true)
public final class WritePathCommand implements Callable<Integer> {
  private static final int MIB = 1 << 20;
  private static final int ALIGNMENT = 4096;

  @Mixin MeasuredDirectory measured;

  @Option(
      names = "--mib",
      description = "MiB written per run. Default: ${DEFAULT-VALUE}.",
      defaultValue = "2048")
  int mebibytes;

  @Option(
      names = "--group-mib",
      description = "MiB written between two fdatasyncs. Default: ${DEFAULT-VALUE}.",
      defaultValue = "16")
  int groupMebibytes;

  @Option(
      names = "--repeat",
      description = "Runs of each mode, interleaved. Default: ${DEFAULT-VALUE}.",
      defaultValue = "2")
  int repeat;

  @Override
  public Integer call() throws IOException {
    MarkdownTable table =
        new MarkdownTable("run", "mode", "MiB", "seconds", "MB/s", "writer CPU ms per MiB");
    for (int i = 1; i <= repeat; i++) {
      for (boolean direct : new boolean[] {false, true}) {
        Run run = write(direct);
        table.row(
            i,
            direct ? "O_DIRECT" : "page cache",
            mebibytes,
            Figures.oneDecimal(run.seconds()),
            Figures.megabytes((long) mebibytes * MIB / run.seconds()),
            Figures.oneDecimal(run.cpuSeconds() * 1000 / mebibytes));
      }
    }
    System.out.println(
        "write path in "
            + measured.path().toAbsolutePath()
            + ": 1 MiB writes appended to a new file, fdatasync every "
            + groupMebibytes
            + " MiB");
    table.print(System.out);
    return 0;
  }

  private record Run(double seconds, double cpuSeconds) {}

  private Run write(boolean direct) throws IOException {
    Path file = measured.path().resolve("inlet-bench-write-path");
    Files.deleteIfExists(file);
    OpenOption[] options =
        direct
            ? new OpenOption[] {
              StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT
            }
            : new OpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE};
    ByteBuffer block = ByteBuffer.allocateDirect(MIB + ALIGNMENT).alignedSlice(ALIGNMENT);
    block.limit(MIB);
    while (block.hasRemaining()) {
      block.put((byte) 'x');
    }
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = (long) mebibytes * MIB;
    long group = (long) groupMebibytes * MIB;
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    try (FileChannel channel = FileChannel.open(file, options)) {
      long position = 0;
      while (position < total) {
        long groupEnd = Math.min(total, position + group);
        while (position < groupEnd) {
          block.clear().limit(MIB);
          while (block.hasRemaining()) {
            position += channel.write(block, position);
          }
        }
        channel.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + (direct ? " with O_DIRECT" : ""), e);
    } finally {
      Files.deleteIfExists(file);
    }
    return new Run(
        (System.nanoTime() - start) / 1e9, (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
  }
}
