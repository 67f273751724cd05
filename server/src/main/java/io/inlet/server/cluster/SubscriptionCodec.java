package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataFormatException;
import io.inlet.store.SubscriptionInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Subscriptions as bytes in the replicated metadata, format 1, each starting with a version byte.
 * Settings: id and stream name (modified UTF-8), ack timeout, max unacked records, from-latest
 * flag, creation time (epoch ms). Progress: owner node id (0: none), the checkpoint count, then per
 * shard its id and next LSN.
 */
final class SubscriptionCodec {
  private static final byte FORMAT = 1;

  private SubscriptionCodec() {}

  static byte[] encode(SubscriptionInfo info) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(info.id());
      out.writeUTF(info.streamName());
      out.writeInt(info.ackTimeoutSeconds());
      out.writeInt(info.maxUnackedRecords());
      out.writeBoolean(info.startFromLatest());
      out.writeLong(info.createdAt().toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws MetadataFormatException when the bytes are no subscription of this format
   */
  static SubscriptionInfo decodeInfo(byte[] value) {
    try (DataInputStream in = open(value, "subscription")) {
      SubscriptionInfo info =
          new SubscriptionInfo(
              in.readUTF(),
              in.readUTF(),
              in.readInt(),
              in.readInt(),
              in.readBoolean(),
              Instant.ofEpochMilli(in.readLong()));
      MetadataValues.requireEnd(in, "subscription \"" + info.id() + "\"");
      return info;
    } catch (IOException e) {
      throw MetadataValues.truncated("subscription", e);
    }
  }

  static byte[] encode(SubscriptionProgress progress) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(16 + 16 * progress.checkpoints().size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(progress.owner());
      out.writeInt(progress.checkpoints().size());
      for (Map.Entry<Long, Long> e : progress.checkpoints().entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws MetadataFormatException when the bytes are no progress of this format
   */
  static SubscriptionProgress decodeProgress(byte[] value) {
    try (DataInputStream in = open(value, "subscription's progress")) {
      int owner = in.readInt();
      int count = in.readInt();
      if (count < 0 || count > value.length / 16) {
        throw new MetadataFormatException("a subscription's progress with " + count + " shards");
      }
      Map<Long, Long> checkpoints = new HashMap<>(count * 2);
      for (int i = 0; i < count; i++) {
        checkpoints.put(in.readLong(), in.readLong());
      }
      MetadataValues.requireEnd(in, "a subscription's progress");
      return new SubscriptionProgress(owner, checkpoints);
    } catch (IOException e) {
      throw MetadataValues.truncated("subscription's progress", e);
    }
  }

  private static DataInputStream open(byte[] value, String what) throws IOException {
    return MetadataValues.open(value, FORMAT, what);
  }
}
