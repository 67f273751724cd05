package io.inlet.server.grpc;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.DescribeClusterResponse;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.LookupKeyRequest;
import io.inlet.api.hstream.LookupResourceRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.LookupShardResponse;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The cluster as clients see it: DescribeCluster, LookupShard, LookupResource and LookupKey.
 * DescribeCluster lists the members; LookupShard (and LookupResource of a shard) answers with the
 * shard's owner ({@link ShardLocator}), LookupResource of a subscription or a connector with its
 * owner ({@link SubscriptionLocator}, {@link TaskLocator}), every other lookup with this node,
 * checking existence only where HStreamDB does.
 */
public final class ClusterRpcs implements RpcGroup {
  /** The HStreamDB protocol version Inlet speaks. */
  public static final String PROTOCOL_VERSION = "0.20.3";

  private final LocalNode node;
  private final ClusterMembers members;
  private final ShardLocator shards;
  private final SubscriptionLocator subscriptions;
  private final TaskLocator tasks;
  private final Instant startedAt;

  public ClusterRpcs(
      LocalNode node, ClusterMembers members, ShardLocator shards, Instant startedAt) {
    this(node, members, shards, SubscriptionLocator.self(node), TaskLocator.self(node), startedAt);
  }

  public ClusterRpcs(
      LocalNode node,
      ClusterMembers members,
      ShardLocator shards,
      SubscriptionLocator subscriptions,
      TaskLocator tasks,
      Instant startedAt) {
    this.node = node;
    this.members = members;
    this.shards = shards;
    this.subscriptions = subscriptions;
    this.tasks = tasks;
    this.startedAt = startedAt;
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getDescribeClusterMethod(),
        HStreamApiGrpc.getLookupShardMethod(),
        HStreamApiGrpc.getLookupResourceMethod(),
        HStreamApiGrpc.getLookupKeyMethod());
  }

  @Override
  public void describeCluster(Empty request, StreamObserver<DescribeClusterResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          // As HStreamDB: serverNodes lists the nodes that serve, serverNodesStatus every known
          // one.
          DescribeClusterResponse.Builder response =
              DescribeClusterResponse.newBuilder().setProtocolVersion(PROTOCOL_VERSION);
          for (ServerNodeStatus status : members.statuses()) {
            response.addServerNodesStatus(status);
            if (status.getState() == NodeState.Running) {
              response.addServerNodes(status.getNode());
            }
          }
          return response
              .setClusterUpTime(Math.max(0, Duration.between(startedAt, Instant.now()).toSeconds()))
              .build();
        });
  }

  /**
   * Answers with the shard's owner, and with this node for a shard id no stream has: HStreamDB
   * checks nothing either; the call that follows (Append, a reader) reports a missing shard. An
   * owner that is not running answers UNAVAILABLE naming it.
   */
  @Override
  public void lookupShard(
      LookupShardRequest request, StreamObserver<LookupShardResponse> observer) {
    Calls.unary(
        observer,
        () ->
            LookupShardResponse.newBuilder()
                .setShardId(request.getShardId())
                .setServerNode(shards.ownerOf(request.getShardId()))
                .build());
  }

  /**
   * Where a resource lives. HStreamDB allocates a node to any id of the stream, subscription,
   * shard, shard reader, connector and query kinds on first lookup, whether or not it exists yet
   * (hstreamdb-java looks up a fresh reader id before creating it); only a view must exist, since
   * it is found through its query. A single node answers with itself in the same cases.
   */
  @Override
  public void lookupResource(LookupResourceRequest request, StreamObserver<ServerNode> observer) {
    Calls.unary(
        observer,
        () -> {
          switch (request.getResType()) {
            case ResShard -> {
              return shardOwner(request.getResId());
            }
            case ResSubscription -> {
              return subscriptions.ownerOf(request.getResId());
            }
            case ResConnector, ResQuery -> {
              return tasks.ownerOf(request.getResId());
            }
            case ResStream, ResShardReader -> {}
            case ResView ->
                throw new InletException(
                    ErrorCode.ViewNotFound, "view \"" + request.getResId() + "\" not found");
            default ->
                throw GrpcErrors.invalidArgument(
                    ErrorCode.InternalError,
                    "unknown resource type " + Integer.toUnsignedString(request.getResTypeValue()));
          }
          return node.toServerNode();
        });
  }

  /** The owner of the shard named by a resource id; this node when the id is no shard id. */
  private ServerNode shardOwner(String resId) {
    long shardId;
    try {
      shardId = Long.parseUnsignedLong(resId);
    } catch (NumberFormatException e) {
      return node.toServerNode();
    }
    return shards.ownerOf(shardId);
  }

  @Override
  public void lookupKey(LookupKeyRequest request, StreamObserver<ServerNode> observer) {
    Calls.unary(observer, node::toServerNode);
  }
}
