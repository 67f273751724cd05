package io.inlet.bench.fsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's raw synchronous-write capacity in a directory's filesystem, measured with {@code dd
 * oflag=dsync} (each write returns only once on stable storage, as a WAL write followed by
 * fdatasync does): bulk bandwidth with 1 MiB writes, and the rate of small (4 KiB) synced writes,
 * which bounds how many group commits per second a write-ahead log can make.
 */
public final class FsyncCeiling {
  private static final Pattern DD_SUMMARY =
      Pattern.compile("^(\\d+) bytes .* copied, ([0-9.,]+) s", Pattern.MULTILINE);

  private FsyncCeiling() {}

  /**
   * @param bulkBytesPerSecond bytes per second with 1 MiB synced writes
   * @param smallWritesPerSecond synced 4 KiB writes per second
   */
  public record Figures(
      double bulkBytesPerSecond, double smallWritesPerSecond, long bulkBytes, long smallWrites) {

    public String describe() {
      return String.format(
          Locale.ROOT,
          "%.0f MB/s with 1 MiB dsync writes; %.0f dsync 4 KiB writes/s (%.0f us each)",
          bulkBytesPerSecond / 1e6,
          smallWritesPerSecond,
          1e6 / smallWritesPerSecond);
    }
  }

  /** Runs both measurements in {@code dir} and deletes the test files. */
  public static Figures measure(Path dir, int bulkMebibytes, int smallWrites) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("inlet-bench-ddtest");
      try {
        Run bulk = dd(file, "1M", bulkMebibytes);
        Files.deleteIfExists(file);
        Run small = dd(file, "4k", smallWrites);
        return new Figures(
            bulk.bytes / bulk.seconds, smallWrites / small.seconds, bulk.bytes, smallWrites);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the fsync ceiling in " + dir, e);
    }
  }

  private record Run(long bytes, double seconds) {}

  private static Run dd(Path file, String blockSize, int count) throws IOException {
    List<String> command =
        List.of(
            "dd", "if=/dev/zero", "of=" + file, "bs=" + blockSize, "count=" + count, "oflag=dsync");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Matcher matcher = DD_SUMMARY.matcher(output);
    if (!matcher.find()) {
      throw new IOException("cannot read dd's summary: " + output.trim());
    }
    return new Run(
        Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2).replace(',', '.')));
  }
}
