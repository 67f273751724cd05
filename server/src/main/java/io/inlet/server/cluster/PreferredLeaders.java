package io.inlet.server.cluster;

import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.ShardInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives shards back to their preferred leader: the first of the shard's replicas in rendezvous
 * order, which is where a shard's leadership lands when every replica runs. A leader stays where it
 * was claimed until it dies, so without this the nodes that stayed up through a restart or a kill
 * keep the shards the restarted node led, and leadership piles up on them.
 *
 * <p>A leader hands a shard over only when every replica runs, no replica set change is under way,
 * it has led the shard for {@link #LEAD_AT_LEAST}, and the preferred replica holds every committed
 * entry fsync'd; one shard per node per round, so the shards come back one at a time. The handover
 * is a compare-and-set of the shard's claim from this leader's epoch to the preferred node: the
 * preferred node then holds the latest claim without leading, so it leads with a new epoch as a
 * restarted claimant does, and this leader stops at once. The shard answers UNAVAILABLE until the
 * new leader has recovered it (about a second), as in any leader change.
 */
final class PreferredLeaders {
  private static final Logger log = LoggerFactory.getLogger(PreferredLeaders.class);

  /** How long a leader leads a shard before it may hand it over. */
  static final Duration LEAD_AT_LEAST = Duration.ofSeconds(10);

  /** A shard handed over: the leader to stop, the node that holds the claim now, its epoch. */
  record Handover(ShardLeader leader, int to, long epoch) {}

  private final int selfId;
  private final ReplicatedMetadata metadata;
  private final NodeMembership members;

  PreferredLeaders(int selfId, ReplicatedMetadata metadata, NodeMembership members) {
    this.selfId = selfId;
    this.metadata = metadata;
    this.members = members;
  }

  /**
   * Hands one shard this node leads over to its preferred replica when one is due.
   *
   * @param leading the shards this node leads, with their leaders and since when
   * @return the handover made (the caller stops the leader), or empty
   */
  Optional<Handover> handOverOne(
      StreamDirectory.Catalog catalog,
      Set<Integer> running,
      Map<Long, ShardLeadership.Led> leading) {
    long now = System.currentTimeMillis();
    for (PlacedStream stream : catalog.streams()) {
      for (ShardInfo shard : stream.stream().shards()) {
        long shardId = shard.shardId();
        ShardLeadership.Led led = leading.get(shardId);
        List<Integer> replicas = stream.replicasOf(shardId);
        if (led == null
            || now - led.sinceMs() < LEAD_AT_LEAST.toMillis()
            || !stream.previousReplicasOf(shardId).isEmpty()
            || !running.containsAll(replicas)) {
          continue;
        }
        int preferred = RendezvousPlacement.place(shardId, 1, replicas).leader();
        if (preferred == selfId
            || members.replicationAddress(preferred).isEmpty()
            || !caughtUp(led.leader(), preferred)) {
          continue;
        }
        Optional<Handover> handover = handOver(led.leader(), preferred);
        if (handover.isPresent()) {
          log.info(
              "shard {}: handed over to node {}, its preferred leader (this node led it in epoch"
                  + " {})",
              shardId,
              preferred,
              led.leader().epoch());
          return handover;
        }
      }
    }
    return Optional.empty();
  }

  /** True when {@code nodeId}'s copy holds every entry the leader counts as committed. */
  private static boolean caughtUp(ShardLeader leader, int nodeId) {
    if (leader.isStopped() || !leader.settledOnReplicas()) {
      return false;
    }
    long committed = leader.committedLsn();
    return leader.followerProgress().stream()
        .anyMatch(
            p -> p.follower().id().equals(Integer.toString(nodeId)) && p.durableLsn() >= committed);
  }

  /**
   * Writes the claim over to {@code nodeId} if this leader's claim is still the latest; else (a
   * later claim, or no metadata majority) it keeps leading, and the next round looks again.
   */
  private Optional<Handover> handOver(ShardLeader leader, int nodeId) {
    return ClaimTransfer.transfer(metadata, leader.shardId(), leader.epoch(), nodeId)
        .map(epoch -> new Handover(leader, nodeId, epoch));
  }
}
