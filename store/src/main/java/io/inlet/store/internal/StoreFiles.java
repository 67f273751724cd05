package io.inlet.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of a data directory as RocksDB names them, and how to name them in an error message: a
 * user who reads "found MANIFEST-000012, 000015.log (1.2 MB), 3 table files" knows what is there.
 */
final class StoreFiles {
  static final String CURRENT = "CURRENT";
  static final String MANIFEST_PREFIX = "MANIFEST-";

  /** Entries a fresh file system puts in its root; a directory holding only these is empty. */
  private static final Set<String> NOT_OURS_BUT_HARMLESS = Set.of("lost+found");

  private static final int NAMED_AT_MOST = 12;

  private StoreFiles() {}

  /** The entries of the directory, sorted, without those of a fresh file system. */
  static List<String> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> !NOT_OURS_BUT_HARMLESS.contains(name))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static boolean isWal(String name) {
    return name.matches("\\d+\\.log");
  }

  static boolean isTable(String name) {
    return name.matches("\\d+\\.sst");
  }

  static boolean isManifest(String name) {
    return name.startsWith(MANIFEST_PREFIX);
  }

  /** Whether any file of the list holds records: a WAL or a table file. */
  static boolean holdsRecords(List<String> names) {
    return names.stream().anyMatch(n -> isWal(n) || isTable(n));
  }

  /** The MANIFEST with the highest number, which is the one CURRENT named. */
  static Optional<String> newestManifest(List<String> names) {
    return names.stream()
        .filter(StoreFiles::isManifest)
        .max(Comparator.comparingLong(StoreFiles::manifestNumber));
  }

  private static long manifestNumber(String name) {
    try {
      return Long.parseLong(name.substring(MANIFEST_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static List<String> wals(Path dir) {
    return list(dir).stream().filter(StoreFiles::isWal).toList();
  }

  /**
   * The files as a user should see them: CURRENT, MANIFESTs and WALs by name and size, table files
   * counted, the rest by name, at most a dozen names.
   */
  static String describe(Path dir, List<String> names) {
    if (names.isEmpty()) {
      return "no files";
    }
    List<String> parts = new ArrayList<>();
    long tables = 0;
    long tableBytes = 0;
    for (String name : names) {
      if (isTable(name)) {
        tables++;
        tableBytes += size(dir.resolve(name));
      } else if (isWal(name) || isManifest(name)) {
        parts.add(name + " (" + human(size(dir.resolve(name))) + ")");
      } else {
        parts.add(name);
      }
    }
    if (tables > 0) {
      parts.add(
          tables
              + " table file"
              + (tables == 1 ? "" : "s")
              + " (*.sst, "
              + human(tableBytes)
              + ")");
    }
    if (parts.size() > NAMED_AT_MOST) {
      int more = parts.size() - NAMED_AT_MOST;
      parts = new ArrayList<>(parts.subList(0, NAMED_AT_MOST));
      parts.add("and " + more + " more");
    }
    return String.join(", ", parts);
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format("%.1f MB", bytes / (1024.0 * 1024));
    }
    return String.format("%.1f GB", bytes / (1024.0 * 1024 * 1024));
  }
}
