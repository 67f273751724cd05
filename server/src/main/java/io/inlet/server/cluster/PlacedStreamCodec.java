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
 * A {@link PlacedStream} as bytes in the replicated metadata. Format 2: a version byte, the name
 * (modified UTF-8), replication factor, backlog seconds, creation time (epoch ms), the shard count,
 * then per shard its id, start and end key (length-prefixed big-endian two's complement), the
 * replica count and the replicas' node ids. Format 3, written while a shard's replica set change is
 * under way, adds after each shard's replicas its previous set (a count, 0 for none, and node ids).
 * In formats 2 and 3 a stream is {@linkplain PlacedStream#replicated replicated} when a shard has
 * more than one replica. Format 4, written only for a replicated stream whose shards have one
 * replica each (created while a single node ran), is format 3 with a byte of flags after the
 * version (bit 0: replicated). Format 1 (written before replicated shards) has one owner node id in
 * place of the replica count and list; it reads as one replica, that owner, not replicated.
 */
final class PlacedStreamCodec {
  private static final byte FORMAT = 2;
  private static final byte FORMAT_WITH_PREVIOUS = 3;
  private static final byte FORMAT_WITH_FLAGS = 4;
  private static final byte FORMAT_ONE_OWNER = 1;
  private static final int FLAG_REPLICATED = 1;

  private PlacedStreamCodec() {}

  static byte[] encode(PlacedStream placed) {
    StreamInfo stream = placed.stream();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * stream.shardCount());
    // Formats 2 and 3 where they say it all, so that nodes of the version before read them.
    boolean withFlags = placed.replicated() != PlacedStream.anyHasSeveral(placed.replicas());
    boolean withPrevious = withFlags || !placed.settled();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (withFlags) {
        out.writeByte(FORMAT_WITH_FLAGS);
        out.writeByte(placed.replicated() ? FLAG_REPLICATED : 0);
      } else {
        out.writeByte(withPrevious ? FORMAT_WITH_PREVIOUS : FORMAT);
      }
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
        List<Integer> replicas = placed.replicas().get(i);
        out.writeInt(replicas.size());
        for (int node : replicas) {
          out.writeInt(node);
        }
        if (withPrevious) {
          List<Integer> previous = placed.previous().get(i);
          out.writeInt(previous.size());
          for (int node : previous) {
            out.writeInt(node);
          }
        }
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
      if (format < FORMAT_ONE_OWNER || format > FORMAT_WITH_FLAGS) {
        throw new MetadataFormatException(
            "a stream in the replicated metadata has format "
                + format
                + ", this node reads 1 to "
                + FORMAT_WITH_FLAGS);
      }
      int flags = format == FORMAT_WITH_FLAGS ? in.readUnsignedByte() : 0;
      boolean withPrevious = format == FORMAT_WITH_PREVIOUS || format == FORMAT_WITH_FLAGS;
      String name = in.readUTF();
      int replication = in.readInt();
      int backlog = in.readInt();
      Instant createdAt = Instant.ofEpochMilli(in.readLong());
      int count = in.readInt();
      List<ShardInfo> shards = new ArrayList<>(count);
      List<List<Integer>> replicas = new ArrayList<>(count);
      List<List<Integer>> previous = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long id = in.readLong();
        shards.add(new ShardInfo(id, name, readKey(in), readKey(in)));
        replicas.add(format == FORMAT_ONE_OWNER ? List.of(in.readInt()) : readReplicas(in, 1));
        previous.add(withPrevious ? readReplicas(in, 0) : List.of());
      }
      if (in.available() != 0) {
        throw new MetadataFormatException("stream \"" + name + "\": trailing bytes");
      }
      boolean replicated =
          format == FORMAT_WITH_FLAGS
              ? (flags & FLAG_REPLICATED) != 0
              : PlacedStream.anyHasSeveral(replicas);
      return new PlacedStream(
          new StreamInfo(name, replication, backlog, createdAt, List.copyOf(shards)),
          replicas,
          previous,
          replicated);
    } catch (IOException e) {
      throw new MetadataFormatException("a stream in the replicated metadata is truncated: " + e);
    }
  }

  private static List<Integer> readReplicas(DataInputStream in, int min) throws IOException {
    int count = in.readInt();
    if (count < min || count > 255) {
      throw new MetadataFormatException("a shard with " + count + " replicas");
    }
    List<Integer> replicas = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      replicas.add(in.readInt());
    }
    return replicas;
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
