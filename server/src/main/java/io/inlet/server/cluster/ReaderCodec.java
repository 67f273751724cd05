package io.inlet.server.cluster;

import io.inlet.store.ReaderInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Shard readers as bytes in the replicated metadata, format 1: a version byte, the reader id and
 * stream name (modified UTF-8), shard id, start LSN, timeout (ms), creation time (epoch ms), and
 * where it reads next (LSN, record index).
 */
final class ReaderCodec {
  private static final byte FORMAT = 1;

  private ReaderCodec() {}

  static byte[] encode(ReaderInfo reader) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(reader.readerId());
      out.writeUTF(reader.streamName());
      out.writeLong(reader.shardId());
      out.writeLong(reader.startLsn());
      out.writeInt(reader.timeoutMs());
      out.writeLong(reader.createdAt().toEpochMilli());
      out.writeLong(reader.nextLsn());
      out.writeInt(reader.nextIndex());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws io.inlet.cluster.metadata.MetadataFormatException when the bytes are no reader of this
   *     format
   */
  static ReaderInfo decode(byte[] value) {
    try (DataInputStream in = MetadataValues.open(value, FORMAT, "shard reader")) {
      ReaderInfo reader =
          new ReaderInfo(
              in.readUTF(),
              in.readUTF(),
              in.readLong(),
              in.readLong(),
              in.readInt(),
              Instant.ofEpochMilli(in.readLong()),
              in.readLong(),
              in.readInt());
      MetadataValues.requireEnd(in, "shard reader \"" + reader.readerId() + "\"");
      return reader;
    } catch (IOException e) {
      throw MetadataValues.truncated("shard reader", e);
    }
  }
}
