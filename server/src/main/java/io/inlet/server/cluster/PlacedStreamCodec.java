package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataFormatException;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PlacedStream} as bytes in the replicated metadata. Format 1: a version byte, the name
 * (modified UTF-8), replication factor, backlog seconds, creation time (epoch ms), the shard count,
 * then per shard its id, start and end key (length-prefixed big-endian two's complement) and owner
 * node id.
 */
final class PlacedStreamCodec {
  private static final byte FORMAT = 1;

  private PlacedStreamCodec() {}

  static byte[] encode(PlacedStream placed) {
    StreamInfo stream = placed.stream();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * stream.shardCount());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(stream.name());
      out.writeInt(stream.replicationFactor());
      out.writeInt(stream.backlogSeconds());
      out.writeLong(stream.createdAt().toEpochMilli());
      out.writeInt(stream.shardCount());
      for (int i = 0; i < stream.shardCount(); i++) {
        ShardInfo shard = stream.shards().get(i);
        out.writeLong(shard.shardId());
        writeKey(out, shard.startKey());
        writeKey(out, shard.endKey());
        out.writeInt(placed.owners().get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws MetadataFormatException when the bytes are no stream of a format this node reads
   */
  static PlacedStream decode(byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new MetadataFormatException(
            "a stream in the replicated metadata has format " + format + ", this node reads 1");
      }
      String name = in.readUTF();
      int replication = in.readInt();
      int backlog = in.readInt();
      Instant createdAt = Instant.ofEpochMilli(in.readLong());
      int count = in.readInt();
      List<ShardInfo> shards = new ArrayList<>(count);
      List<Integer> owners = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long id = in.readLong();
        shards.add(new ShardInfo(id, name, readKey(in), readKey(in)));
        owners.add(in.readInt());
      }
      if (in.available() != 0) {
        throw new MetadataFormatException("stream \"" + name + "\": trailing bytes");
      }
      return new PlacedStream(
          new StreamInfo(name, replication, backlog, createdAt, List.copyOf(shards)), owners);
    } catch (IOException e) {
      throw new MetadataFormatException("a stream in the replicated metadata is truncated: " + e);
    }
  }

  private static void writeKey(DataOutputStream out, BigInteger key) throws IOException {
    byte[] bytes = key.toByteArray();
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static BigInteger readKey(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readUnsignedShort()];
    in.readFully(bytes);
    return new BigInteger(bytes);
  }
}
