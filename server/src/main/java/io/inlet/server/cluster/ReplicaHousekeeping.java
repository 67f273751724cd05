package io.inlet.server.cluster;

import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.store.ShardInfo;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each node does to its own replicas after every look at the catalog ({@link
 * ShardLeadership}):
 *
 * <ul>
 *   <li>a replica of a shard whose stream was deleted is deleted, files and all, and refuses the
 *       shard from then on. A shard counts as deleted when its id is below the catalog's next shard
 *       id and no stream has it (ids are never reused), so a node that was down when the stream was
 *       deleted drops its replicas once it is back;
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

  private final ReplicationNode node;
  private final ShardTrims trims;
  private final long retentionIntervalMs;
  private long nextRetentionMs;

  ReplicaHousekeeping(ReplicationNode node, ShardTrims trims, Duration retentionInterval) {
    this.node = node;
    this.trims = trims;
    this.retentionIntervalMs = Math.max(1, retentionInterval.toMillis());
  }

  /** One round after a look at {@code catalog} (on the leadership's tick thread). */
  void afterLook(StreamDirectory.Catalog catalog) {
    Set<Long> held = dropDeleted(catalog);
    applyTrims(held);
    long now = System.currentTimeMillis();
    if (now >= nextRetentionMs) {
      nextRetentionMs = now + retentionIntervalMs;
      expire(catalog, held, now);
    }
  }

  /** Deletes the replicas of shards no stream has; returns the shards this node still holds. */
  private Set<Long> dropDeleted(StreamDirectory.Catalog catalog) {
    Set<Long> known = shardIds(catalog);
    Set<Long> held = new HashSet<>(node.heldShards());
    for (long shardId : List.copyOf(held)) {
      if (Long.compareUnsigned(shardId, catalog.nextShardId()) < 0 && !known.contains(shardId)) {
        node.deleteShard(shardId);
        held.remove(shardId);
        log.info("shard {}: its stream was deleted; this node's replica is deleted", shardId);
      }
    }
    return held;
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

  static Set<Long> shardIds(StreamDirectory.Catalog catalog) {
    Set<Long> ids = new HashSet<>();
    for (PlacedStream stream : catalog.streams()) {
      for (ShardInfo shard : stream.stream().shards()) {
        ids.add(shard.shardId());
      }
    }
    return ids;
  }
}
