package io.inlet.server.testing.clusterkill;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.ServerNode;
import java.time.Duration;
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

  /** How long {@link #owner} retries while no leader is named. */
  static final Duration LOOKUP_RETRY = Duration.ofSeconds(60);

  /**
   * The node LookupShard names for {@code shardId} (its leader; with replication factor 1, its
   * owner). While the shard has no running leader (a leader is being chosen, or its claimant was
   * just suspected by the membership) LookupShard answers UNAVAILABLE, which tells a client to
   * retry: so does this, for up to {@link #LOOKUP_RETRY}.
   */
  public static ServerNode owner(ManagedChannel channel, long shardId) {
    long deadline = System.nanoTime() + LOOKUP_RETRY.toNanos();
    while (true) {
      try {
        return HStreamApiGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .lookupShard(LookupShardRequest.newBuilder().setShardId(shardId).build())
            .getServerNode();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(200); // a new leader is being chosen; retried with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while looking up shard " + shardId, e);
      }
    }
  }
}
