package io.inlet.store;

import io.inlet.api.naming.ObjectNames;

/**
 * What a caller asks for when creating a stream. {@code backlogSeconds} 0 keeps records until
 * trimmed.
 */
public record StreamSpec(String name, int shardCount, int replicationFactor, int backlogSeconds) {
  public static final int MAX_SHARDS = 1024;
  public static final int MAX_REPLICATION_FACTOR = 15;

  /**
   * This spec as every catalog stores it, checked once here: a name following {@link ObjectNames},
   * 1 to {@value #MAX_SHARDS} shards, and a replication factor of 1 to {@value
   * #MAX_REPLICATION_FACTOR} (0 means 1).
   *
   * @throws StoreException {@code INVALID_STREAM_NAME}, {@code INVALID_SHARD_COUNT} or {@code
   *     INVALID_REPLICATION_FACTOR}, saying what was found
   */
  public StreamSpec checked() {
    String invalid = ObjectNames.invalidMessage("stream name", name);
    if (invalid != null) {
      throw new StoreException(StoreException.Reason.INVALID_STREAM_NAME, invalid);
    }
    checkShardCount(shardCount);
    int replication = replicationFactor == 0 ? 1 : replicationFactor;
    if (replication < 1 || replication > MAX_REPLICATION_FACTOR) {
      throw new StoreException(
          StoreException.Reason.INVALID_REPLICATION_FACTOR,
          "replication factor must be 1.." + MAX_REPLICATION_FACTOR + ", found: " + replication);
    }
    return new StreamSpec(name, shardCount, replication, backlogSeconds);
  }

  /**
   * @throws StoreException {@code INVALID_SHARD_COUNT} unless {@code count} is 1 to {@value
   *     #MAX_SHARDS}
   */
  public static void checkShardCount(int count) {
    if (count < 1 || count > MAX_SHARDS) {
      throw new StoreException(
          StoreException.Reason.INVALID_SHARD_COUNT,
          "shard count must be 1.." + MAX_SHARDS + ", found: " + count);
    }
  }
}
