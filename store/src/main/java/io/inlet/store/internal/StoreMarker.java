package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.DamagedDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The file {@value #FILE_NAME} that marks a data directory as an Inlet store, kept beside RocksDB's
 * files (RocksDB ignores it). It holds what must survive any damage to RocksDB's own files:
 *
 * <ul>
 *   <li>the store's id (also kept in the {@code meta} column family), so a directory is only ever
 *       opened as the store it was created as, and RocksDB creates a database only in a directory
 *       Inlet found empty;
 *   <li>per shard, the <em>LSN floor</em>: every LSN up to it may have been handed out, so after
 *       any recovery the next append gets a higher one and no record id is ever given twice;
 *   <li>per shard, an <em>acknowledged</em> LSN: every batch up to it was acknowledged, so a
 *       recovery that comes back with less has lost acknowledged data and must not pass silently.
 * </ul>
 *
 * <p>Text, one {@code key=value} per line, ending with a CRC32C of everything before it. Written
 * atomically: a temporary file, fsync, rename over the old one, fsync of the directory.
 */
record StoreMarker(String storeId, long format, Map<Long, ShardFloor> shards) {
  static final String FILE_NAME = "INLET-STORE";
  private static final String TEMP_NAME = FILE_NAME + ".tmp";
  private static final String SHARD_PREFIX = "shard.";
  private static final String CHECKSUM = "checksum=";

  /**
   * @param floor every LSN up to it may have been handed out
   * @param acknowledged every batch up to it was acknowledged (durable)
   */
  record ShardFloor(long floor, long acknowledged) {}

  StoreMarker {
    shards = Collections.unmodifiableMap(new TreeMap<>(shards));
  }

  /** A copy with other shard floors. */
  StoreMarker withShards(Map<Long, ShardFloor> newShards) {
    return new StoreMarker(storeId, format, newShards);
  }

  static boolean exists(Path dir) {
    return Files.exists(dir.resolve(FILE_NAME));
  }

  /**
   * @return empty when the directory has no marker
   * @throws DamagedDataException when the marker does not parse or its checksum does not match
   */
  static Optional<StoreMarker> read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return Optional.of(parse(text));
    } catch (RuntimeException e) {
      throw new DamagedDataException(
          dir,
          "data directory "
              + dir
              + ": the store marker "
              + FILE_NAME
              + " is damaged ("
              + e.getMessage()
              + "); run `"
              + DamagedDataException.repairCommand(dir)
              + "` to rebuild it from the store",
          e);
    }
  }

  /** The acknowledged LSN the marker records for a shard, 0 when none; for tests and tools. */
  static long readAcked(Path dir, long shardId) {
    return read(dir)
        .map(m -> m.shards().getOrDefault(shardId, new ShardFloor(0, 0)).acknowledged())
        .orElse(0L);
  }

  private static StoreMarker parse(String text) {
    int checksumAt = text.lastIndexOf(CHECKSUM);
    if (checksumAt < 0) {
      throw new IllegalArgumentException("no checksum line");
    }
    String body = text.substring(0, checksumAt);
    String stored = text.substring(checksumAt + CHECKSUM.length()).trim();
    String computed = checksum(body);
    if (!stored.equals(computed)) {
      throw new IllegalArgumentException(
          "checksum mismatch: stored " + stored + ", computed " + computed);
    }
    String storeId = null;
    long format = -1;
    Map<Long, ShardFloor> shards = new TreeMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("line without '=': " + line);
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.equals("store-id")) {
        storeId = value;
      } else if (key.equals("format")) {
        format = Long.parseLong(value);
      } else if (key.startsWith(SHARD_PREFIX)) {
        long shardId = Long.parseLong(key.substring(SHARD_PREFIX.length()));
        String[] parts = value.split(",");
        if (parts.length != 2) {
          throw new IllegalArgumentException("bad shard line: " + line);
        }
        shards.put(shardId, new ShardFloor(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
      }
    }
    if (storeId == null || storeId.isBlank() || format < 0) {
      throw new IllegalArgumentException("store-id or format missing");
    }
    return new StoreMarker(storeId, format, shards);
  }

  String text() {
    StringBuilder out = new StringBuilder(128 + 48 * shards.size());
    out.append("# Inlet stream store. Do not edit, copy apart from the other files, or delete:\n");
    out.append("# Inlet opens this directory only with it (see docs/durability.md).\n");
    out.append("store-id=").append(storeId).append('\n');
    out.append("format=").append(format).append('\n');
    out.append("# shard.<id>=<LSN floor>,<acknowledged LSN>\n");
    shards.forEach(
        (id, f) ->
            out.append(SHARD_PREFIX)
                .append(id)
                .append('=')
                .append(f.floor())
                .append(',')
                .append(f.acknowledged())
                .append('\n'));
    String body = out.toString();
    return body + CHECKSUM + checksum(body) + "\n";
  }

  /**
   * Replaces the marker atomically and durably.
   *
   * @throws IOException when it cannot be written (the old marker is then unchanged)
   */
  void write(Path dir) throws IOException {
    Path temp = dir.resolve(TEMP_NAME);
    byte[] bytes = text().getBytes(StandardCharsets.UTF_8);
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(
        temp,
        dir.resolve(FILE_NAME),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  /** Makes a rename in {@code dir} durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static String checksum(String body) {
    CRC32C crc = new CRC32C();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
