package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.ServerNode;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a client asks a node about shards: a stream's shards, and each shard's owner. */
public final class ShardOwners {
  private ShardOwners() {}

  public static List<Long> shardIds(ManagedChannel channel, String stream) {
    return HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
        .getShardsList()
        .stream()
        .map(s -> s.getShardId())
        .toList();
  }

  /**
   * The node LookupShard names for {@code shardId} (its leader; with replication factor 1, its
   * owner). While the shard has no running leader (a leader is being chosen, or its claimant was
   * just suspected by the membership) LookupShard answers UNAVAILABLE, which tells a client to
   * retry: so does this ({@link WhileUnavailable}).
   */
  public static ServerNode owner(ManagedChannel channel, long shardId) {
    return WhileUnavailable.retry(
        "a lookup of shard " + shardId,
        () ->
            HStreamApiGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .lookupShard(LookupShardRequest.newBuilder().setShardId(shardId).build())
                .getServerNode());
  }
}
