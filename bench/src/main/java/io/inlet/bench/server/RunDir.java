package io.inlet.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one benchmark run: the server's data dir and logs. Deleted on close unless
 * kept.
 */
public final class RunDir implements AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final Path root;
  private final boolean keep;

  private RunDir(Path root, boolean keep) {
    this.root = root;
    this.keep = keep;
  }

  public static RunDir create(Path parent, String name, boolean keep) {
    try {
      Files.createDirectories(parent);
      Path root =
          Files.createDirectory(
              parent.resolve("inlet-bench-" + name + "-" + LocalDateTime.now().format(STAMP)));
      return new RunDir(root, keep);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a run directory under " + parent, e);
    }
  }

  public Path root() {
    return root;
  }

  public Path dataDir() {
    return root.resolve("data");
  }

  public Path file(String name) {
    return root.resolve(name);
  }

  /** Bytes under the data dir (files only; what {@code du --apparent-size} would say). */
  public long dataBytes() {
    return sizeOf(dataDir());
  }

  public static long sizeOf(Path dir) {
    for (int attempt = 1; ; attempt++) {
      try {
        return walkSize(dir);
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 5) { // a directory vanished mid-walk each time
          throw new IllegalStateException("cannot measure " + dir, e);
        }
      }
    }
  }

  private static long walkSize(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException e) {
                  return 0; // deleted while walking (compaction, WAL recycling)
                }
              })
          .sum();
    }
  }

  @Override
  public void close() {
    if (keep) {
      System.err.println("kept " + root);
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }
}
