package io.inlet.store.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.inlet.store.ReaderInfo;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.SubscriptionInfo;
import io.inlet.store.internal.proto.ReaderRecord;
import io.inlet.store.internal.proto.ShardRecord;
import io.inlet.store.internal.proto.StreamRecord;
import io.inlet.store.internal.proto.SubscriptionRecord;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Metadata values: one format byte, then a message of {@code store_meta.proto}. Times are kept with
 * millisecond precision.
 */
final class MetaCodec {
  static final byte FORMAT = 1;

  private MetaCodec() {}

  static byte[] stream(StreamInfo stream) {
    StreamRecord.Builder record =
        StreamRecord.newBuilder()
            .setName(stream.name())
            .setReplicationFactor(stream.replicationFactor())
            .setBacklogSeconds(stream.backlogSeconds())
            .setCreatedAtMs(stream.createdAt().toEpochMilli());
    for (ShardInfo shard : stream.shards()) {
      record.addShards(
          ShardRecord.newBuilder()
              .setShardId(shard.shardId())
              .setStartKey(ByteString.copyFrom(shard.startKey().toByteArray()))
              .setEndKey(ByteString.copyFrom(shard.endKey().toByteArray())));
    }
    return encode(record.build());
  }

  static StreamInfo stream(byte[] value) {
    StreamRecord record = decode(value, StreamRecord.parser(), "stream");
    List<ShardInfo> shards = new ArrayList<>(record.getShardsCount());
    for (ShardRecord shard : record.getShardsList()) {
      shards.add(
          new ShardInfo(
              shard.getShardId(),
              record.getName(),
              new BigInteger(1, shard.getStartKey().toByteArray()),
              new BigInteger(1, shard.getEndKey().toByteArray())));
    }
    return new StreamInfo(
        record.getName(),
        record.getReplicationFactor(),
        record.getBacklogSeconds(),
        Instant.ofEpochMilli(record.getCreatedAtMs()),
        List.copyOf(shards));
  }

  static byte[] subscription(SubscriptionInfo sub) {
    return encode(
        SubscriptionRecord.newBuilder()
            .setId(sub.id())
            .setStreamName(sub.streamName())
            .setAckTimeoutSeconds(sub.ackTimeoutSeconds())
            .setMaxUnackedRecords(sub.maxUnackedRecords())
            .setStartFromLatest(sub.startFromLatest())
            .setCreatedAtMs(sub.createdAt().toEpochMilli())
            .build());
  }

  static SubscriptionInfo subscription(byte[] value) {
    SubscriptionRecord record = decode(value, SubscriptionRecord.parser(), "subscription");
    return new SubscriptionInfo(
        record.getId(),
        record.getStreamName(),
        record.getAckTimeoutSeconds(),
        record.getMaxUnackedRecords(),
        record.getStartFromLatest(),
        Instant.ofEpochMilli(record.getCreatedAtMs()));
  }

  static byte[] reader(ReaderInfo reader) {
    return encode(
        ReaderRecord.newBuilder()
            .setReaderId(reader.readerId())
            .setStreamName(reader.streamName())
            .setShardId(reader.shardId())
            .setStartLsn(reader.startLsn())
            .setTimeoutMs(reader.timeoutMs())
            .setCreatedAtMs(reader.createdAt().toEpochMilli())
            .setNextLsn(reader.nextLsn())
            .setNextIndex(reader.nextIndex())
            .build());
  }

  static ReaderInfo reader(byte[] value) {
    ReaderRecord record = decode(value, ReaderRecord.parser(), "reader");
    return new ReaderInfo(
        record.getReaderId(),
        record.getStreamName(),
        record.getShardId(),
        record.getStartLsn(),
        record.getTimeoutMs(),
        Instant.ofEpochMilli(record.getCreatedAtMs()),
        record.getNextLsn() == 0 ? record.getStartLsn() : record.getNextLsn(),
        record.getNextLsn() == 0 ? 0 : record.getNextIndex());
  }

  private static byte[] encode(MessageLite message) {
    byte[] value = new byte[1 + message.getSerializedSize()];
    value[0] = FORMAT;
    byte[] body = message.toByteArray();
    System.arraycopy(body, 0, value, 1, body.length);
    return value;
  }

  private static <T> T decode(byte[] value, Parser<T> parser, String what) {
    if (value.length == 0 || value[0] != FORMAT) {
      throw new IllegalStateException(
          "stored "
              + what
              + " has unknown format "
              + (value.length == 0 ? "(empty)" : Byte.toString(value[0]))
              + "; was the data directory written by a newer Inlet?");
    }
    try {
      return parser.parseFrom(value, 1, value.length - 1);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored " + what + " is corrupt: " + e.getMessage(), e);
    }
  }
}
