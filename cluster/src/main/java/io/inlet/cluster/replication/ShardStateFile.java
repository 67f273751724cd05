package io.inlet.cluster.replication;

import io.inlet.cluster.DurableFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A replica's small durable state for one shard, beside its log: the epoch it is sealed at and the
 * highest LSN it knows was committed. 20 bytes (sealed epoch, committed LSN, CRC32C), replaced
 * durably ({@link DurableFile#replace}).
 */
final class ShardStateFile {
  /** What the file holds. */
  record State(long sealedEpoch, long committedLsn) {}

  private static final int BYTES = 20;

  private final Path file;

  ShardStateFile(Path dir, long shardId) {
    this.file = dir.resolve("shard-" + Long.toUnsignedString(shardId) + ".state");
  }

  /** The saved state, or (0, 0) when none was saved. */
  State load() throws IOException {
    if (!Files.exists(file)) {
      return new State(0, 0);
    }
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    if (in.remaining() != BYTES || crc(in.array()) != in.getInt(16)) {
      throw new IOException(file + " is damaged: it must hold 20 bytes with a matching CRC32C");
    }
    return new State(in.getLong(0), in.getLong(8));
  }

  /** Removes the file (a deleted shard's), durably when it returns. */
  void delete() throws IOException {
    if (Files.deleteIfExists(file)) {
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    }
  }

  /** Replaces the state, durably when it returns. */
  void save(State state) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(BYTES);
    out.putLong(state.sealedEpoch()).putLong(state.committedLsn());
    out.putInt(crc(out.array()));
    DurableFile.replace(file, out.array());
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 16);
    return (int) crc.getValue();
  }
}
