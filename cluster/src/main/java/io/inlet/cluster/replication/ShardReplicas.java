package io.inlet.cluster.replication;

import java.util.List;

/**
 * Where a shard's copies live: its leader and its followers (placement decides, elsewhere). The
 * replica set has {@code 1 + followers.size()} members and a majority of them must hold an entry
 * fsync'd before the entry is acknowledged.
 */
public interface ShardReplicas {
  /** The followers of {@code shardId}, not including its leader. */
  List<Replica> followers(long shardId);
}
