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
   * Holds a stream decided elsewhere (a cluster's replicated catalog chose its shard ids and key
   * ranges) exactly as given, so that this store can keep its shards' records. Does nothing when it
   * holds that stream already; a stream of the same name with other shards is an older one deleted
   * elsewhere: it is deleted here first, with its records. Later shard ids of {@link #create} stay
   * above every adopted one.
   *
   * @return the stream as held
   * @throws UnsupportedOperationException when this catalog only holds streams it created
   */
  default StreamInfo adopt(StreamInfo stream) {
    throw new UnsupportedOperationException("this store cannot hold streams created elsewhere");
  }

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
