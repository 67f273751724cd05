package io.inlet.server.cluster;

import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.store.ShardInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each node does to its own replicas and copies after every look at the catalog ({@link
 * ShardLeadership}):
 *
 * <ul>
 *   <li>its local store's copies of deleted streams (replication factor 1) are deleted with their
 *       records ({@link LocalCopies#dropDeleted});
 *   <li>a replica of a shard whose stream was deleted is deleted, files and all, and refuses the
 *       shard from then on. A shard counts as deleted when its id is below the catalog's next shard
 *       id and no stream has it (ids are never reused), so a node that was down when the stream was
 *       deleted drops its replicas once it is back. The trim points and latest leader claims of
 *       deleted shards go from the metadata too ({@link ShardTrims#forgetDeleted}), in the round
 *       that deleted a replica and every {@code retentionInterval}, so a failed delete is retried;
 *   <li>a replica of a shard whose replica set no longer has this node (it was replaced or moved
 *       away, and the change is finished) is deleted, files and all, without a marker: the shard
 *       may come back here later as an empty replica that catches up. Its sealed epoch is read
 *       first, then a linearizable read of the catalog confirms the node is out of both sets, and
 *       the replica is deleted only if still sealed at that epoch ({@link
 *       ReplicationNode#forgetShard}): a leader that puts the node back seals it at a later epoch
 *       before it counts anything on it;
 *   <li>each shard's trim point ({@link ShardTrims}) is applied;
 *   <li>every {@code retentionInterval}, the entries older than the stream's backlog duration are
 *       deleted, by the append time the leader gave them (the same on every replica).
 * </ul>
 *
 * Trims and retention delete whole segments only, and never beyond the committed LSN the replica
 * knows ({@link ReplicationNode#trimBefore}).
 */
final class ReplicaHousekeeping {
  private static final Logger log = LoggerFactory.getLogger(ReplicaHousekeeping.class);

  private final int selfId;
  private final ReplicationNode node;
  private final StreamDirectory directory;
  private final ShardTrims trims;
  private final LocalCopies copies;
  private final long retentionIntervalMs;
  private long nextRetentionMs;
  private boolean copiesFailing;

  ReplicaHousekeeping(
      int selfId,
      ReplicationNode node,
      StreamDirectory directory,
      ShardTrims trims,
      LocalCopies copies,
      Duration retentionInterval) {
    this.selfId = selfId;
    this.node = node;
    this.directory = directory;
    this.trims = trims;
    this.copies = copies;
    this.retentionIntervalMs = Math.max(1, retentionInterval.toMillis());
  }

  /** One round after a look at {@code catalog} (on the leadership's tick thread). */
  void afterLook(StreamDirectory.Catalog catalog) {
    dropDeletedCopies(catalog);
    Set<Long> held = new HashSet<>(node.heldShards());
    boolean dropped = dropDeleted(catalog, held);
    dropMovedAway(catalog, held);
    applyTrims(held);
    long now = System.currentTimeMillis();
    boolean retentionDue = now >= nextRetentionMs;
    if (retentionDue) {
      nextRetentionMs = now + retentionIntervalMs;
      expire(catalog, held, now);
    }
    if (dropped || retentionDue) {
      forgetDeletedShards(catalog);
    }
  }

  /** Warns once per run of failed rounds, not every second. */
  private void dropDeletedCopies(StreamDirectory.Catalog catalog) {
    try {
      copies.dropDeleted(catalog);
      copiesFailing = false;
    } catch (RuntimeException e) {
      if (!copiesFailing) {
        log.warn("copies of deleted streams are kept until a later round works: {}", e.toString());
      }
      copiesFailing = true;
    }
  }

  /** Deletes what the metadata keeps of deleted shards; a failure is tried again next time. */
  private void forgetDeletedShards(StreamDirectory.Catalog catalog) {
    try {
      int forgotten = trims.forgetDeleted(catalog);
      if (forgotten > 0) {
        log.info(
            "deleted shards: {} trim points and leader claims deleted from the metadata",
            forgotten);
      }
    } catch (RuntimeException e) {
      log.warn(
          "deleted shards: their trim points and leader claims stay in the metadata until the next"
              + " try: {}",
          e.toString());
    }
  }

  /**
   * Deletes the replicas of shards no stream has, and takes them out of {@code held}; true when it
   * deleted one.
   */
  private boolean dropDeleted(StreamDirectory.Catalog catalog, Set<Long> held) {
    boolean dropped = false;
    for (long shardId : List.copyOf(held)) {
      if (catalog.deleted(shardId)) {
        node.deleteShard(shardId);
        held.remove(shardId);
        dropped = true;
        log.info("shard {}: its stream was deleted; this node's replica is deleted", shardId);
      }
    }
    return dropped;
  }

  /** Deletes the replicas this node holds of shards whose replica sets no longer have it. */
  private void dropMovedAway(StreamDirectory.Catalog catalog, Set<Long> held) {
    Map<Long, Long> sealedAt = new HashMap<>();
    for (long shardId : held) {
      if (movedAway(catalog, shardId)) {
        guarded(
            shardId, "a look at its epoch", () -> sealedAt.put(shardId, node.sealedEpoch(shardId)));
      }
    }
    if (sealedAt.isEmpty()) {
      return;
    }
    StreamDirectory.Catalog now;
    try {
      now = directory.catalog(); // linearizable, after the epochs were read
    } catch (RuntimeException e) {
      log.debug("moved-away copies: no catalog this round, the next tries again: {}", e.toString());
      return;
    }
    for (Map.Entry<Long, Long> copy : sealedAt.entrySet()) {
      long shardId = copy.getKey();
      if (movedAway(now, shardId)) {
        guarded(
            shardId,
            "deleting its moved-away copy",
            () -> {
              if (node.forgetShard(shardId, copy.getValue())) {
                held.remove(shardId);
                log.info(
                    "shard {}: this node is no longer one of its replicas; its copy here is"
                        + " deleted",
                    shardId);
              }
            });
      }
    }
  }

  /**
   * True when a stream has the shard replicated on a set (current and previous) without this node.
   */
  private boolean movedAway(StreamDirectory.Catalog catalog, long shardId) {
    for (PlacedStream stream : catalog.streams()) {
      for (ShardInfo shard : stream.stream().shards()) {
        if (shard.shardId() == shardId) {
          return stream.isReplicated(shardId)
              && !stream.replicasOf(shardId).contains(selfId)
              && !stream.previousReplicasOf(shardId).contains(selfId);
        }
      }
    }
    return false;
  }

  private void applyTrims(Set<Long> held) {
    for (Map.Entry<Long, Long> point : trims.points().entrySet()) {
      if (held.contains(point.getKey())) {
        guarded(point.getKey(), "trim", () -> node.trimBefore(point.getKey(), point.getValue()));
      }
    }
  }

  private void expire(StreamDirectory.Catalog catalog, Set<Long> held, long nowMs) {
    for (PlacedStream stream : catalog.streams()) {
      int backlogSeconds = stream.stream().backlogSeconds();
      if (backlogSeconds <= 0) {
        continue;
      }
      long cutoffMs = nowMs - backlogSeconds * 1000L;
      for (ShardInfo shard : stream.stream().shards()) {
        long shardId = shard.shardId();
        if (stream.isReplicated(shardId) && held.contains(shardId)) {
          guarded(
              shardId,
              "retention",
              () -> {
                long keepFrom = node.lsnAtOrAfter(shardId, cutoffMs);
                if (keepFrom > node.firstLsn(shardId)) {
                  node.trimBefore(shardId, keepFrom);
                }
              });
        }
      }
    }
  }

  private static void guarded(long shardId, String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.debug("shard {}: {} failed, the next round tries again: {}", shardId, what, e.toString());
    }
  }
}
