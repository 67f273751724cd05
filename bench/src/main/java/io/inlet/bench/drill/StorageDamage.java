package io.inlet.bench.drill;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The damage the storage drill does to a stopped node's data dir, one kind per case. */
enum StorageDamage {
  MISSING_CURRENT(
      "missing CURRENT",
      false,
      Expect.REFUSE,
      "refuses every start, naming the files found and the repair; deletes nothing"),
  WAL_BIT_FLIP(
      "WAL: 32 bytes flipped in the middle",
      false,
      Expect.REFUSE,
      "refuses to start: acknowledged records may be in the damaged part"),
  WAL_TRUNCATED(
      "WAL: cut to half its length",
      false,
      Expect.REFUSE,
      "refuses to start: recovery would lose acknowledged records"),
  WAL_TORN_TAIL(
      "WAL: 100 bytes of garbage after the last record (a torn write)",
      false,
      Expect.START,
      "starts; nothing acknowledged lost (the torn write was never acknowledged)"),
  SST_BIT_FLIP(
      "SST: 32 bytes flipped in the middle of the data table",
      true,
      Expect.EITHER,
      "starts with reads of the damaged range failing with DATA_LOSS, or, when the damaged block"
          + " holds a shard's last batch, refuses to start naming the table and the repair"),
  SST_FIRST_BLOCK_FLIP(
      "SST: 32 bytes flipped in the data table's first block (a shard's oldest batches)",
      true,
      Expect.START,
      "starts; reads of the damaged range fail with DATA_LOSS, other shards read"),
  SST_TRUNCATED(
      "SST: data table cut to half its length",
      true,
      Expect.EITHER,
      "refuses to start naming the table, or starts with reads failing with DATA_LOSS"),
  MANIFEST_BIT_FLIP(
      "MANIFEST: 32 bytes flipped in the middle",
      true,
      Expect.REFUSE,
      "refuses to start and deletes nothing"),
  MANIFEST_TRUNCATED(
      "MANIFEST: cut to half its length",
      true,
      Expect.REFUSE,
      "refuses to start and deletes nothing");

  /** Whether the node should refuse to start on this damage, start, or may do either. */
  enum Expect {
    REFUSE,
    START,
    EITHER
  }

  final String description;

  /** Whether the data must be in table files (SST) first, not only in the WAL. */
  final boolean needsTables;

  final Expect expect;

  /** The outcome in words, as docs/durability.md states it. */
  final String expected;

  StorageDamage(String description, boolean needsTables, Expect expect, String expected) {
    this.description = description;
    this.needsTables = needsTables;
    this.expect = expect;
    this.expected = expected;
  }

  /**
   * Damages the data dir.
   *
   * @return the file damaged (a description when none could be)
   */
  String apply(Path dataDir, SplittableRandom random) {
    try {
      return switch (this) {
        case MISSING_CURRENT -> {
          Files.delete(dataDir.resolve("CURRENT"));
          yield "CURRENT";
        }
        case WAL_BIT_FLIP -> flip(largest(dataDir, ".log"), -1, random);
        case WAL_TRUNCATED -> truncate(largest(dataDir, ".log"));
        case WAL_TORN_TAIL -> appendGarbage(largest(dataDir, ".log"), random);
        case SST_BIT_FLIP -> flip(largest(dataDir, ".sst"), -1, random);
        case SST_FIRST_BLOCK_FLIP -> flip(largest(dataDir, ".sst"), 64, random);
        case SST_TRUNCATED -> truncate(largest(dataDir, ".sst"));
        case MANIFEST_BIT_FLIP -> flip(largestStartingWith(dataDir, "MANIFEST-"), -1, random);
        case MANIFEST_TRUNCATED -> truncate(largestStartingWith(dataDir, "MANIFEST-"));
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot damage " + dataDir, e);
    }
  }

  /** Flips 32 bytes at {@code at}, or in the middle of the file when {@code at} is negative. */
  private static String flip(Path file, long at, SplittableRandom random) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long middle = at < 0 ? raf.length() / 2 : Math.min(at, Math.max(0, raf.length() - 32));
      byte[] bytes = new byte[32];
      raf.seek(middle);
      raf.readFully(bytes);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (bytes[i] ^ (1 + random.nextInt(255)));
      }
      raf.seek(middle);
      raf.write(bytes);
      return file.getFileName() + " (" + raf.length() + " bytes, flipped at " + middle + ")";
    }
  }

  private static String truncate(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long length = raf.length();
      raf.setLength(length / 2);
      return file.getFileName() + " (" + length + " -> " + length / 2 + " bytes)";
    }
  }

  private static String appendGarbage(Path file, SplittableRandom random) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] garbage = new byte[100];
      random.nextBytes(garbage);
      raf.seek(raf.length());
      raf.write(garbage);
      return file.getFileName() + " (+100 bytes at " + (raf.length() - 100) + ")";
    }
  }

  static Path largest(Path dir, String suffix) throws IOException {
    return pick(dir, name -> name.endsWith(suffix) && !name.equals("LOG"))
        .orElseThrow(() -> new IOException("no *" + suffix + " file in " + dir));
  }

  private static Path largestStartingWith(Path dir, String prefix) throws IOException {
    return pick(dir, name -> name.startsWith(prefix))
        .orElseThrow(() -> new IOException("no " + prefix + "* file in " + dir));
  }

  private static Optional<Path> pick(Path dir, java.util.function.Predicate<String> name)
      throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> name.test(f.getFileName().toString()))
          .max(Comparator.comparingLong(StorageDamage::size));
    }
  }

  /** Names and sizes of the WAL and table files, to tell whether a failed start deleted any. */
  static List<String> logsAndTables(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".log") || n.endsWith(".sst"))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  static boolean hasTables(Path dir) {
    return logsAndTables(dir).stream().anyMatch(n -> n.endsWith(".sst"));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
