package io.inlet.server.cluster;

import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.store.ShardInfo;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each node does to its own replicas after every look at the catalog ({@link
 * ShardLeadership}): a replica of a shard whose stream was deleted is deleted here, files and all,
 * and refuses the shard from then on. A shard counts as deleted when its id is below the catalog's
 * next shard id and no stream has it (ids are never reused), so a node that was down when the
 * stream was deleted drops its replicas once it is back.
 */
final class ReplicaHousekeeping {
  private static final Logger log = LoggerFactory.getLogger(ReplicaHousekeeping.class);

  private final ReplicationNode node;

  ReplicaHousekeeping(ReplicationNode node) {
    this.node = node;
  }

  /** Deletes this node's replicas of the shards no stream of {@code catalog} has any more. */
  void dropDeleted(StreamDirectory.Catalog catalog) {
    Set<Long> known = shardIds(catalog);
    for (long shardId : node.heldShards()) {
      if (Long.compareUnsigned(shardId, catalog.nextShardId()) < 0 && !known.contains(shardId)) {
        node.deleteShard(shardId);
        log.info("shard {}: its stream was deleted; this node's replica is deleted", shardId);
      }
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
