package io.inlet.cluster.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Highest-random-weight (rendezvous) placement: each node gets a pseudo-random score for each
 * shard, and the shard's replicas are the nodes with the highest scores, the highest leading.
 *
 * <p>Why this scheme: it needs no shared state (every node computes the same placement from the
 * same live set), spreads leaders and replicas evenly, and moves as little as possible: a node that
 * joins takes exactly the replica slots where it now scores among the top, and a node that leaves
 * hands each of its slots to the next-best node; every other shard keeps its replicas and its
 * leader.
 *
 * <p>The score mixes the shard id and the node id with a 64-bit finalizer (the one of SplitMix64),
 * so it is stable across versions and processes. Changing it moves shards on upgrade: don't.
 */
public final class RendezvousPlacement {

  private RendezvousPlacement() {}

  /**
   * Places one shard.
   *
   * @param shardId the shard
   * @param replicationFactor the replicas wanted (at least 1)
   * @param liveNodes the ids of the nodes that may hold replicas; duplicates are ignored
   */
  public static ShardPlacement place(
      long shardId, int replicationFactor, Collection<Integer> liveNodes) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be at least 1, got " + replicationFactor);
    }
    List<Integer> ranked =
        liveNodes.stream()
            .distinct()
            .sorted(
                Comparator.comparingLong((Integer node) -> score(shardId, node))
                    .reversed()
                    .thenComparing(Comparator.naturalOrder()))
            .limit(replicationFactor)
            .toList();
    return new ShardPlacement(shardId, replicationFactor, new ArrayList<>(ranked));
  }

  /**
   * The node that holds a thing placed by name (a subscription, a connector): the first of {@code
   * liveNodes} in the rendezvous order of the name's key, the same on every node that sees the same
   * live nodes.
   */
  public static int ownerOf(String name, Collection<Integer> liveNodes) {
    return place(keyOf(name), 1, liveNodes).leader();
  }

  /**
   * A stable 64-bit key for a name: FNV-1a over its UTF-8 bytes, the same on every node and across
   * versions.
   */
  private static long keyOf(String name) {
    long hash = 0xcbf2_9ce4_8422_2325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x0000_0100_0000_01b3L;
    }
    return hash;
  }

  /** The node's weight for the shard: the higher, the more the shard prefers the node. */
  static long score(long shardId, int nodeId) {
    return mix(mix(shardId) ^ mix(0x9E37_79B9_7F4A_7C15L * (nodeId + 1L)));
  }

  private static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
