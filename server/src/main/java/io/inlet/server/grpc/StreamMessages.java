package io.inlet.server.grpc;

import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.Stream;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.time.Instant;

/** Stream and shard messages to and from the store's records: the one place they convert. */
final class StreamMessages {
  private StreamMessages() {}

  static StreamSpec toSpec(Stream stream) {
    return new StreamSpec(
        stream.getStreamName(),
        stream.getShardCount(),
        stream.getReplicationFactor(),
        stream.getBacklogDuration());
  }

  static Stream toStream(StreamInfo info) {
    return Stream.newBuilder()
        .setStreamName(info.name())
        .setReplicationFactor(info.replicationFactor())
        .setBacklogDuration(info.backlogSeconds())
        .setShardCount(info.shardCount())
        .setCreationTime(timestamp(info.createdAt()))
        .build();
  }

  static Shard toShard(ShardInfo shard) {
    return Shard.newBuilder()
        .setStreamName(shard.streamName())
        .setShardId(shard.shardId())
        .setStartHashRangeKey(shard.startKey().toString())
        .setEndHashRangeKey(shard.endKey().toString())
        .setEpoch(0)
        .setIsActive(true)
        .build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
