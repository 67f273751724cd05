package io.inlet.server.cluster;

import io.inlet.api.record.PartitionKeys;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream as the cluster's replicated catalog keeps it: the stream, and for each of its shards (in
 * the same order) the ids of the nodes that hold the shard's records, first in rendezvous order
 * when the stream is created. The shards of a stream that is not {@code replicated} have one
 * replica each, kept by that node (its owner) in its local store, and never move. Those of a {@code
 * replicated} stream are replicated shard logs, whose leader is chosen at run time among their
 * replicas ({@code ShardLeadership}), and whose replica sets the leaders change: they add replicas
 * while a shard has fewer than its stream's replication factor (it was created while fewer nodes
 * ran, even a single one) and replace a replica gone for good. While such a change is not finished,
 * {@code previous} holds the set before it (empty otherwise): a new leader must then seal a
 * majority of both sets.
 *
 * @param replicated whether the shards are replicated shard logs: a stream created with a
 *     replication factor above 1, or, in a record written before this was kept, one whose shards
 *     have more than one replica
 */
public record PlacedStream(
    StreamInfo stream,
    List<List<Integer>> replicas,
    List<List<Integer>> previous,
    boolean replicated) {

  /**
   * A stream with no replica set change under way, replicated when its replication factor is above
   * 1 or a shard has more than one replica.
   */
  public PlacedStream(StreamInfo stream, List<List<Integer>> replicas) {
    this(
        stream,
        replicas,
        replicas.stream().map(r -> List.<Integer>of()).toList(),
        stream.replicationFactor() > 1 || anyHasSeveral(replicas));
  }

  /** Whether any of {@code sets} has more than one replica. */
  static boolean anyHasSeveral(List<List<Integer>> sets) {
    return sets.stream().anyMatch(set -> set.size() > 1);
  }

  public PlacedStream {
    replicas = replicas.stream().map(List::copyOf).toList();
    previous = previous.stream().map(List::copyOf).toList();
    if (previous.size() != replicas.size()) {
      throw new IllegalArgumentException(
          "stream \""
              + stream.name()
              + "\" has "
              + replicas.size()
              + " replica sets but "
              + previous.size()
              + " previous ones");
    }
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

  /**
   * A stream whose shards are kept by one node each, in its local store: {@code owners}, in shard
   * order.
   */
  public static PlacedStream withOwners(StreamInfo stream, List<Integer> owners) {
    List<List<Integer>> sets = owners.stream().map(List::of).toList();
    return new PlacedStream(
        stream, sets, sets.stream().map(r -> List.<Integer>of()).toList(), false);
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
    int i = indexOf(shardId);
    return i < 0 ? List.of() : replicas.get(i);
  }

  /**
   * The replica set of {@code shardId} before an unfinished change; empty when none is under way.
   */
  public List<Integer> previousReplicasOf(long shardId) {
    int i = indexOf(shardId);
    return i < 0 ? List.of() : previous.get(i);
  }

  /** True when no shard of this stream has a replica set change under way. */
  public boolean settled() {
    return previous.stream().allMatch(List::isEmpty);
  }

  /**
   * This stream with {@code shardId}'s replica set changed to {@code next}, the current one kept as
   * its previous set until the change is finished ({@link #withChangeFinished}).
   */
  public PlacedStream withReplicaSetChanged(long shardId, List<Integer> next) {
    int i = indexOf(shardId);
    List<List<Integer>> sets = new ArrayList<>(replicas);
    List<List<Integer>> before = new ArrayList<>(previous);
    before.set(i, replicas.get(i));
    sets.set(i, next);
    return new PlacedStream(stream, sets, before, replicated);
  }

  /** This stream with {@code shardId}'s replica set change finished: its previous set forgotten. */
  public PlacedStream withChangeFinished(long shardId) {
    List<List<Integer>> before = new ArrayList<>(previous);
    before.set(indexOf(shardId), List.of());
    return new PlacedStream(stream, replicas, before, replicated);
  }

  private int indexOf(long shardId) {
    List<ShardInfo> shards = stream.shards();
    for (int i = 0; i < shards.size(); i++) {
      if (shards.get(i).shardId() == shardId) {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code shardId} is one of ours and is a replicated shard log. */
  public boolean isReplicated(long shardId) {
    return replicated && indexOf(shardId) >= 0;
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
