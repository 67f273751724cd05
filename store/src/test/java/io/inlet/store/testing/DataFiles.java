package io.inlet.store.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Damages and inspects the files of a data directory, as the storage-damage tests need (the
 * store's, and the server's through the store's test jar).
 */
public final class DataFiles {
  private DataFiles() {}

  /**
   * Copies every file of a live store: what a kill -9 leaves on disk, since every acknowledged
   * write is already in the WAL.
   */
  public static void crashCopy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  /** The file with the highest name ending in {@code suffix} and starting with {@code prefix}. */
  public static Path newest(Path dir, String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(prefix))
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .max(Comparator.comparing(f -> f.getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no " + prefix + "*" + suffix + " in " + dir));
    }
  }

  /** The largest WAL file (NNNNNN.log). */
  public static Path largestWal(Path dir) throws IOException {
    return largest(dir, "\\d+\\.log");
  }

  /** The largest table file (NNNNNN.sst): the one most likely to hold a shard's batches. */
  public static Path largestTable(Path dir) throws IOException {
    return largest(dir, "\\d+\\.sst");
  }

  private static Path largest(Path dir, String pattern) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches(pattern))
          .max(Comparator.comparingLong(DataFiles::size))
          .orElseThrow(() -> new AssertionError("no " + pattern + " in " + dir));
    }
  }

  /** Inverts {@code length} bytes starting at {@code offset}. */
  public static void flip(Path file, long offset, int length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] bytes = new byte[length];
      f.seek(offset);
      f.readFully(bytes);
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      f.seek(offset);
      f.write(bytes);
    }
  }

  public static void truncate(Path file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  public static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Name to size of the files that hold data: tables, WALs, MANIFESTs. */
  public static Map<String, Long> dataFiles(Path dir) throws IOException {
    Map<String, Long> found = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".sst") || name.matches("\\d+\\.log") || name.startsWith("MANIFEST-")) {
          found.put(name, Files.size(file));
        }
      }
    }
    return found;
  }

  /**
   * Per shard, the acknowledged LSN the store marker INLET-STORE records ({@code
   * shard.<id>=<floor>,<acknowledged>} lines); empty without a marker.
   */
  public static Map<Long, Long> acknowledged(Path dir) throws IOException {
    Map<Long, Long> acked = new TreeMap<>();
    Path marker = dir.resolve("INLET-STORE");
    if (!Files.exists(marker)) {
      return acked;
    }
    for (String line : Files.readAllLines(marker)) {
      if (line.startsWith("shard.")) {
        String[] keyValue = line.substring("shard.".length()).split("=");
        acked.put(Long.parseLong(keyValue[0]), Long.parseLong(keyValue[1].split(",")[1]));
      }
    }
    return acked;
  }

  public static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
