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
   * The shard of the stream that owns the key.
   *
   * @throws StoreException STREAM_NOT_FOUND
   */
  ShardInfo shardForKey(String streamName, String partitionKey);
}
