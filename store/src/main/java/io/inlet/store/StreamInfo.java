package io.inlet.store;

import java.time.Instant;
import java.util.List;

/** A stream as stored: its settings and its shards, ordered by key range. */
public record StreamInfo(
    String name,
    int replicationFactor,
    int backlogSeconds,
    Instant createdAt,
    List<ShardInfo> shards) {

  public int shardCount() {
    return shards.size();
  }
}
