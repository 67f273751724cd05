package io.inlet.cluster.placement;

import java.util.List;

/**
 * The nodes that hold one shard, in order of preference: the first is the leader, the rest are
 * followers.
 *
 * @param shardId the shard placed
 * @param replicationFactor how many replicas the shard should have
 * @param replicas the node ids chosen, leader first; fewer than {@code replicationFactor} when
 *     fewer nodes are live, empty when none is
 */
public record ShardPlacement(long shardId, int replicationFactor, List<Integer> replicas) {

  public ShardPlacement {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be at least 1, got " + replicationFactor);
    }
    replicas = List.copyOf(replicas);
    if (replicas.size() > replicationFactor) {
      throw new IllegalArgumentException(
          replicas.size() + " replicas for a replication factor of " + replicationFactor);
    }
  }

  /** The leader's node id. */
  public int leader() {
    if (replicas.isEmpty()) {
      throw new IllegalStateException("shard " + shardId + " has no live replica");
    }
    return replicas.get(0);
  }

  /** The replicas other than the leader. */
  public List<Integer> followers() {
    return replicas.isEmpty() ? List.of() : replicas.subList(1, replicas.size());
  }

  /** True when the shard has a live replica to lead it. */
  public boolean available() {
    return !replicas.isEmpty();
  }

  /** True when fewer nodes than the replication factor are live to hold the shard. */
  public boolean underReplicated() {
    return replicas.size() < replicationFactor;
  }

  /** A majority of the replication factor: how many replicas must hold an entry to ack it. */
  public int quorum() {
    return replicationFactor / 2 + 1;
  }
}
