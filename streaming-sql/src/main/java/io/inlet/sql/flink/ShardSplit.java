package io.inlet.sql.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * One shard of a stream and how far it was read: the id of the last record emitted, or none yet
 * (then {@code startLatest} says where to begin). Checkpointed by the source reader.
 *
 * @param lastBatchId the LSN of the batch of the last record emitted; -1 before the first
 * @param lastBatchIndex that record's index in its batch
 */
public record ShardSplit(
    String stream, long shardId, long lastBatchId, int lastBatchIndex, boolean startLatest)
    implements SourceSplit {

  @Override
  public String splitId() {
    return stream + "/" + Long.toUnsignedString(shardId);
  }

  boolean started() {
    return lastBatchId >= 0;
  }

  ShardSplit at(long batchId, int batchIndex) {
    return new ShardSplit(stream, shardId, batchId, batchIndex, startLatest);
  }

  /** Version 1: stream, shard, last batch, last index, start-latest flag. */
  static final class Serializer implements SimpleVersionedSerializer<ShardSplit> {
    static final Serializer INSTANCE = new Serializer();

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(ShardSplit split) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        write(out, split);
      }
      return bytes.toByteArray();
    }

    @Override
    public ShardSplit deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown shard split version " + version);
      }
      return read(new DataInputStream(new ByteArrayInputStream(serialized)));
    }

    static void write(DataOutputStream out, ShardSplit split) throws IOException {
      out.writeUTF(split.stream());
      out.writeLong(split.shardId());
      out.writeLong(split.lastBatchId());
      out.writeInt(split.lastBatchIndex());
      out.writeBoolean(split.startLatest());
    }

    static ShardSplit read(DataInputStream in) throws IOException {
      return new ShardSplit(
          in.readUTF(), in.readLong(), in.readLong(), in.readInt(), in.readBoolean());
    }
  }
}
