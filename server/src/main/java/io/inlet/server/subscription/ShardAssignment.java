package io.inlet.server.subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which consumer of a subscription owns which shard. Every shard is owned by at most one consumer;
 * while any consumer is connected every shard has an owner, and shard counts per consumer differ by
 * at most one. Consumers beyond the shard count own nothing and wait.
 *
 * <p>Changes move as few shards as possible: a joining consumer takes shards from the busiest
 * consumers (the ones they took last), a leaving consumer's shards go to the least busy ones. Ties
 * go to the consumer that joined first, so the outcome is deterministic. Not thread-safe.
 */
final class ShardAssignment {

  /** A shard changing hands; {@code from} or {@code to} is null when it had or gets no owner. */
  record Move(long shardId, String from, String to) {}

  private final List<Long> shards;
  private final Map<Long, String> owners = new HashMap<>();
  private final LinkedHashMap<String, List<Long>> consumers = new LinkedHashMap<>();

  ShardAssignment(List<Long> shardIds) {
    this.shards = List.copyOf(shardIds);
  }

  /**
   * Adds a consumer and rebalances.
   *
   * @throws IllegalArgumentException when the consumer is already part of the assignment
   */
  List<Move> join(String consumer) {
    if (consumers.putIfAbsent(consumer, new ArrayList<>()) != null) {
      throw new IllegalArgumentException("consumer " + consumer + " already joined");
    }
    List<Move> moves = new ArrayList<>();
    for (long shard : shards) {
      if (!owners.containsKey(shard)) {
        give(shard, null, leastLoaded(), moves);
      }
    }
    while (true) {
      String busiest = mostLoaded();
      String idlest = leastLoaded();
      if (load(busiest) - load(idlest) <= 1) {
        break;
      }
      List<Long> from = consumers.get(busiest);
      long shard = from.remove(from.size() - 1);
      give(shard, busiest, idlest, moves);
    }
    return moves;
  }

  /** Removes a consumer and hands its shards to the others; no-op for an unknown consumer. */
  List<Move> leave(String consumer) {
    List<Long> freed = consumers.remove(consumer);
    if (freed == null) {
      return List.of();
    }
    List<Move> moves = new ArrayList<>();
    for (long shard : freed) {
      owners.remove(shard);
      if (consumers.isEmpty()) {
        moves.add(new Move(shard, consumer, null));
      } else {
        give(shard, consumer, leastLoaded(), moves);
      }
    }
    return moves;
  }

  /** The consumer owning the shard, or null. */
  String owner(long shardId) {
    return owners.get(shardId);
  }

  List<Long> shardsOf(String consumer) {
    List<Long> owned = consumers.get(consumer);
    return owned == null ? List.of() : List.copyOf(owned);
  }

  int consumerCount() {
    return consumers.size();
  }

  private void give(long shard, String from, String to, List<Move> moves) {
    consumers.get(to).add(shard);
    owners.put(shard, to);
    moves.add(new Move(shard, from, to));
  }

  private int load(String consumer) {
    return consumers.get(consumer).size();
  }

  private String leastLoaded() {
    String best = null;
    for (Map.Entry<String, List<Long>> e : consumers.entrySet()) {
      if (best == null || e.getValue().size() < load(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  private String mostLoaded() {
    String best = null;
    for (Map.Entry<String, List<Long>> e : consumers.entrySet()) {
      if (best == null || e.getValue().size() > load(best)) {
        best = e.getKey();
      }
    }
    return best;
  }
}
