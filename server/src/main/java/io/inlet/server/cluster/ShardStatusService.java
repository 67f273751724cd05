package io.inlet.server.cluster;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.cluster.DescribeShardRequest;
import io.inlet.api.cluster.DescribeShardResponse;
import io.inlet.api.cluster.ReplicaStatus;
import io.inlet.api.cluster.ShardStatusGrpc;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ServerNode;
import io.inlet.cluster.replication.ShardLeader;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import java.util.concurrent.TimeUnit;

/**
 * {@code inlet.cluster.v1.ShardStatus}: where a shard stands, as the node serving it sees it (its
 * owner, or a replicated shard's leader): the committed and last LSN, and each replica's lag. A
 * node that does not serve the shard asks the one that does, once (that node answers from its own
 * view or fails; it never passes the question on again).
 */
final class ShardStatusService extends ShardStatusGrpc.ShardStatusImplBase {
  private static final long ASK_DEADLINE_SECONDS = 10;

  private final StreamDirectory directory;
  private final ShardOwners owners;
  private final ShardLeadership leadership;
  private final ShardLog held;
  private final OwnerChannels channels;

  ShardStatusService(
      StreamDirectory directory,
      ShardOwners owners,
      ShardLeadership leadership,
      ShardLog held,
      OwnerChannels channels) {
    this.directory = directory;
    this.owners = owners;
    this.leadership = leadership;
    this.held = held;
    this.channels = channels;
  }

  @Override
  public void describe(
      DescribeShardRequest request, StreamObserver<DescribeShardResponse> response) {
    DescribeShardResponse answer;
    try {
      answer = describe(request.getShardId(), request.getPassedOn());
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (StoreUnavailableException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.toString()).asRuntimeException());
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }

  private DescribeShardResponse describe(long shardId, boolean passedOn) {
    PlacedStream stream =
        directory
            .byShard(shardId)
            .orElseThrow(
                () ->
                    Status.NOT_FOUND
                        .withDescription("no stream has shard " + Long.toUnsignedString(shardId))
                        .asRuntimeException());
    int serving = owners.servingNode(stream, shardId);
    if (serving != owners.selfId()) {
      if (passedOn) {
        throw Status.UNAVAILABLE
            .withDescription(
                "node "
                    + owners.selfId()
                    + " was asked about shard "
                    + Long.toUnsignedString(shardId)
                    + " but sees node "
                    + serving
                    + " serving it; retry")
            .asRuntimeException();
      }
      return askServing(stream, shardId, serving);
    }
    DescribeShardResponse.Builder status =
        DescribeShardResponse.newBuilder()
            .setShardId(shardId)
            .setStreamName(stream.name())
            .setLeaderNodeId(serving);
    if (!stream.isReplicated(shardId)) {
      ShardPosition position = held.position(shardId);
      long last = position.isEmpty() ? 0 : position.lastLsn();
      return status
          .setCommittedLsn(last)
          .setTailLsn(last)
          .addReplicas(replica(serving, last, last))
          .build();
    }
    ShardLeader leader =
        leadership
            .leader(shardId)
            .orElseThrow(() -> ShardOwners.leaderless(stream.name(), shardId));
    long tail = leader.tailLsn();
    status
        .setEpoch(leader.epoch())
        .setCommittedLsn(leader.committedLsn())
        .setTailLsn(tail)
        .addReplicas(replica(serving, tail, tail));
    for (ShardLeader.FollowerProgress follower : leader.followerProgress()) {
      status.addReplicas(
          replica(Integer.parseInt(follower.follower().id()), follower.durableLsn(), tail));
    }
    return status.build();
  }

  private DescribeShardResponse askServing(PlacedStream stream, long shardId, int serving) {
    ServerNode node = owners.servingServer(stream, shardId, serving);
    return ShardStatusGrpc.newBlockingStub(channels.to(node))
        .withDeadlineAfter(ASK_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .describe(DescribeShardRequest.newBuilder().setShardId(shardId).setPassedOn(true).build());
  }

  private static ReplicaStatus replica(int nodeId, long durableLsn, long tailLsn) {
    return ReplicaStatus.newBuilder()
        .setNodeId(nodeId)
        .setDurableLsn(durableLsn)
        .setLagEntries(Math.max(0, tailLsn - durableLsn))
        .build();
  }
}
