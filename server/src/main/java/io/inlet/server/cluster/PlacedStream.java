package io.inlet.server.cluster;

import io.inlet.api.record.PartitionKeys;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import java.math.BigInteger;
import java.util.List;

/**
 * A stream as the cluster's replicated catalog keeps it: the stream, and for each of its shards (in
 * the same order) the ids of the nodes that hold the shard's records, in rendezvous order. They are
 * chosen once, when the stream is created, and never move. A shard with one replica is kept by that
 * node (its owner) in its local store; a shard with more is a replicated shard log whose leader is
 * chosen at run time among its replicas ({@code ShardLeadership}).
 */
public record PlacedStream(StreamInfo stream, List<List<Integer>> replicas) {

  public PlacedStream {
    replicas = replicas.stream().map(List::copyOf).toList();
    if (replicas.size() != stream.shards().size()) {
      throw new IllegalArgumentException(
          "stream \""
              + stream.name()
              + "\" has "
              + stream.shards().size()
              + " shards but "
              + replicas.size()
              + " replica sets");
    }
    for (List<Integer> set : replicas) {
      if (set.isEmpty()) {
        throw new IllegalArgumentException(
            "stream \"" + stream.name() + "\": a shard has no replica");
      }
    }
  }

  /** A stream whose shards have one replica each: {@code owners}, in shard order. */
  public static PlacedStream withOwners(StreamInfo stream, List<Integer> owners) {
    return new PlacedStream(stream, owners.stream().map(List::of).toList());
  }

  public String name() {
    return stream.name();
  }

  /**
   * The node that holds {@code shardId} when it has one replica, its first-ranked replica when it
   * has more; -1 when it is not a shard of this stream.
   */
  public int ownerOf(long shardId) {
    List<Integer> set = replicasOf(shardId);
    return set.isEmpty() ? -1 : set.get(0);
  }

  /** The nodes that hold {@code shardId}, first-ranked first; empty when it is not one of ours. */
  public List<Integer> replicasOf(long shardId) {
    List<ShardInfo> shards = stream.shards();
    for (int i = 0; i < shards.size(); i++) {
      if (shards.get(i).shardId() == shardId) {
        return replicas.get(i);
      }
    }
    return List.of();
  }

  /** True when {@code shardId} is one of ours and is kept on more than one node. */
  public boolean isReplicated(long shardId) {
    return replicasOf(shardId).size() > 1;
  }

  /** The shard whose key range holds the partition key's hash (shards are ordered by range). */
  public ShardInfo shardForKey(String partitionKey) {
    BigInteger hash = PartitionKeys.hash(partitionKey);
    List<ShardInfo> ordered = stream.shards();
    int low = 0;
    int high = ordered.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (ordered.get(mid).startKey().compareTo(hash) <= 0) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return ordered.get(low);
  }
}
