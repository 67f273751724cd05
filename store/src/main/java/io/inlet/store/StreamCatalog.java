package io.inlet.store;

import java.util.List;
import java.util.Optional;

/** Streams and their shards. Every mutation is durable when it returns. */
public interface StreamCatalog {

  /**
   * Creates a stream whose shards split the 128-bit key space evenly.
   *
   * @throws StoreException STREAM_EXISTS, INVALID_SHARD_COUNT, INVALID_REPLICATION_FACTOR,
   *     INVALID_STREAM_NAME
   */
  StreamInfo create(StreamSpec spec);

  /**
   * Deletes a stream and all its records.
   *
   * @param force delete even when subscriptions read from it; they then name {@link
   *     io.inlet.api.naming.ObjectNames#ARCHIVED_STREAM} and never read a new stream of this name
   * @return false when no such stream existed
   * @throws StoreException STREAM_HAS_SUBSCRIPTIONS when not forced
   */
  boolean delete(String name, boolean force);

  Optional<StreamInfo> get(String name);

  /** Streams whose name starts with {@code prefix} ("" for all), ordered by name. */
  List<StreamInfo> list(String prefix);

  Optional<ShardInfo> shard(long shardId);

  /**
   * Shard {@code shardId} of stream {@code streamName}: the one place that checks that a shard a
   * caller names belongs to the stream it names.
   *
   * @throws StoreException STREAM_NOT_FOUND when there is no such stream, SHARD_NOT_IN_STREAM when
   *     the shard is not one of its shards
   */
  default ShardInfo shardOf(String streamName, long shardId) {
    StreamInfo stream =
        get(streamName).orElseThrow(() -> StoreException.streamNotFound(streamName));
    for (ShardInfo shard : stream.shards()) {
      if (shard.shardId() == shardId) {
        return shard;
      }
    }
    throw StoreException.shardNotInStream(shardId, streamName);
  }

  /**
   * The shard of the stream that owns the key.
   *
   * @throws StoreException STREAM_NOT_FOUND
   */
  ShardInfo shardForKey(String streamName, String partitionKey);
}
