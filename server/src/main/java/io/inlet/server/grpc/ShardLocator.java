package io.inlet.server.grpc;

import io.inlet.api.hstream.ServerNode;

/** Where a shard is served: LookupShard answers with it. */
@FunctionalInterface
public interface ShardLocator {

  /** The node that serves {@code shardId}, as clients dial it. */
  ServerNode ownerOf(long shardId);

  /** A node that serves every shard itself. */
  static ShardLocator self(LocalNode node) {
    return shardId -> node.toServerNode();
  }
}
