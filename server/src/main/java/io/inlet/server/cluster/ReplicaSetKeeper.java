package io.inlet.server.cluster;

import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.ShardInfo;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replica sets of the shards this node leads: finishes a replica set change once the
 * leader started on the new set has every entry on a majority of it, replaces a replica that has
 * not been a running member for {@code replica-replace-after}, adds replicas to a shard that has
 * fewer than its stream's replication factor once nodes without one run, and moves replicas towards
 * the shard's rendezvous placement over the running members when all of them run (a node that
 * joined takes its share). Every change is the two-step change of {@link ReplicaSetChanges}; the
 * leader then starts again on the new set ({@link ShardLeadership}: its followers moved), sealing a
 * majority of the old and the new set. Called from {@link ShardLeadership}'s tick, after it looked
 * at who leads.
 */
final class ReplicaSetKeeper {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSetKeeper.class);

  /** Moves towards the placement ({@link #moveToPlacement}) this node leads at once, at most. */
  static final int MAX_MOVES_UNDER_WAY = 2;

  /** The leaders this node runs, as the keeper needs to see them. */
  interface Leaders {
    /**
     * The leader this node runs for the shard when it streams to exactly these replicas at their
     * current addresses (a leader still on an older set or address is about to be restarted).
     */
    Optional<ShardLeader> on(long shardId, List<Integer> replicas);

    /** True when this node runs a leader for the shard, on whatever set. */
    boolean leads(long shardId);
  }

  private final NodeMembership members;
  private final ReplicaSetChanges changes;
  private final long replaceAfterMs;

  /** Since when each replica this node has seen in a replica set is not a running member. */
  private final Map<Integer, Long> goneSince = new ConcurrentHashMap<>();

  ReplicaSetKeeper(NodeMembership members, ReplicaSetChanges changes, Duration replaceAfter) {
    this.members = members;
    this.changes = changes;
    this.replaceAfterMs = replaceAfter.toMillis();
  }

  /** One round over the catalog: at most one change per shard, led by this node. */
  void keep(StreamDirectory.Catalog catalog, Set<Integer> running, Leaders leaders) {
    long now = System.currentTimeMillis();
    noteGone(catalog, running, now);
    int changesUnderWay = 0;
    for (PlacedStream stream : catalog.streams()) {
      for (ShardInfo shard : stream.stream().shards()) {
        if (leaders.leads(shard.shardId())
            && !stream.previousReplicasOf(shard.shardId()).isEmpty()) {
          changesUnderWay++;
        }
      }
    }
    for (PlacedStream stream : catalog.streams()) {
      for (ShardInfo shard : stream.stream().shards()) {
        long shardId = shard.shardId();
        List<Integer> replicas = stream.replicasOf(shardId);
        Optional<ShardLeader> leader =
            stream.isReplicated(shardId) ? leaders.on(shardId, replicas) : Optional.empty();
        if (leader.isEmpty()) {
          continue;
        }
        if (!stream.previousReplicasOf(shardId).isEmpty()) {
          if (leader.get().settledOnReplicas() && changes.finish(stream.name(), shardId)) {
            log.info("shard {}: its replicas are now {}", shardId, replicas);
          }
          continue;
        }
        replaceOneGone(stream.name(), shardId, replicas, running, now);
        if (changesUnderWay < MAX_MOVES_UNDER_WAY
            && leader.get().settledOnReplicas()
            && (addMissing(stream, shardId, replicas, running)
                || moveToPlacement(stream.name(), shardId, replicas, running))) {
          changesUnderWay++;
        }
      }
    }
  }

  private void noteGone(StreamDirectory.Catalog catalog, Set<Integer> running, long now) {
    Set<Integer> seen = new HashSet<>();
    catalog.streams().forEach(stream -> stream.replicas().forEach(seen::addAll));
    goneSince.keySet().retainAll(seen);
    for (int id : seen) {
      if (running.contains(id)) {
        goneSince.remove(id);
      } else {
        goneSince.putIfAbsent(id, now);
      }
    }
  }

  /**
   * Adds a replica to a shard that has fewer than its stream's replication factor (it was created
   * while fewer nodes ran) once a running node holds none: the first-ranked such node in rendezvous
   * order, one replica per shard at a time, and only while every replica runs (a replica gone is
   * replaced first). The new replica catches up from this leader.
   *
   * @return true when the change was made
   */
  private boolean addMissing(
      PlacedStream stream, long shardId, List<Integer> replicas, Set<Integer> running) {
    int wanted = stream.stream().replicationFactor();
    if (replicas.size() >= wanted || !running.containsAll(replicas)) {
      return false;
    }
    Optional<Integer> newcomer = firstRankedWithout(shardId, replicas, running);
    if (newcomer.isEmpty()) {
      return false;
    }
    int joining = newcomer.get();
    if (!changes.add(stream.name(), shardId, joining, wanted)) {
      return false;
    }
    log.info(
        "shard {}: node {} becomes its replica {} of the {} its stream asks for; it catches up"
            + " from this leader",
        shardId,
        joining,
        replicas.size() + 1,
        wanted);
    return true;
  }

  /**
   * Moves one replica of a shard whose replicas all run towards its rendezvous placement over the
   * running members (a node that joined, or came back after it was replaced, takes its share): the
   * lowest-ranked replica outside that placement makes room for the highest-ranked node missing
   * from it. At most {@link #MAX_MOVES_UNDER_WAY} such changes led by this node are under way at
   * once, so a join does not start a copy of every shard at the same time.
   *
   * @return true when the change was made
   */
  private boolean moveToPlacement(
      String streamName, long shardId, List<Integer> replicas, Set<Integer> running) {
    if (!running.containsAll(replicas)) {
      return false; // a replica gone is replaced after replica-replace-after, not moved
    }
    List<Integer> eligible =
        running.stream()
            .filter(id -> replicas.contains(id) || members.replicationAddress(id).isPresent())
            .toList();
    List<Integer> placed = RendezvousPlacement.place(shardId, replicas.size(), eligible).replicas();
    List<Integer> joining = placed.stream().filter(id -> !replicas.contains(id)).toList();
    List<Integer> leaving =
        RendezvousPlacement.place(shardId, replicas.size(), replicas).replicas().stream()
            .filter(id -> !placed.contains(id))
            .toList();
    if (joining.isEmpty() || leaving.isEmpty()) {
      return false;
    }
    int from = leaving.get(leaving.size() - 1);
    int to = joining.get(0);
    if (!changes.replace(streamName, shardId, from, to)) {
      return false;
    }
    log.info(
        "shard {}: node {} takes over node {}'s replica (placement over the running nodes);"
            + " it catches up from this leader",
        shardId,
        to,
        from);
    return true;
  }

  /**
   * Replaces the first replica gone for {@code replica-replace-after} by the first-ranked running
   * node holding no replica of the shard (one replica per shard at a time).
   */
  private void replaceOneGone(
      String streamName, long shardId, List<Integer> replicas, Set<Integer> running, long now) {
    for (int replica : replicas) {
      Long since = goneSince.get(replica);
      if (since == null || now - since < replaceAfterMs) {
        continue;
      }
      Optional<Integer> newcomer = firstRankedWithout(shardId, replicas, running);
      if (newcomer.isEmpty()) {
        return;
      }
      int joining = newcomer.get();
      if (changes.replace(streamName, shardId, replica, joining)) {
        log.info(
            "shard {}: node {} has been gone for {} ms; node {} replaces it (catching up from"
                + " this leader)",
            shardId,
            replica,
            now - since,
            joining);
      }
      return;
    }
  }

  /**
   * The first-ranked (rendezvous order) running node that holds no replica of the shard and whose
   * replication address is known; empty when there is none.
   */
  private Optional<Integer> firstRankedWithout(
      long shardId, List<Integer> replicas, Set<Integer> running) {
    List<Integer> candidates =
        running.stream()
            .filter(id -> !replicas.contains(id))
            .filter(id -> members.replicationAddress(id).isPresent())
            .sorted()
            .toList();
    return candidates.isEmpty()
        ? Optional.empty()
        : Optional.of(RendezvousPlacement.place(shardId, 1, candidates).leader());
  }
}
