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
 * DescribeCluster lists the members; every lookup answers with this node (shards are not yet placed
 * on other nodes), checking existence only where HStreamDB does.
 */
public final class ClusterRpcs implements RpcGroup {
  /** The HStreamDB protocol version Inlet speaks. */
  public static final String PROTOCOL_VERSION = "0.20.3";

  private final LocalNode node;
  private final ClusterMembers members;
  private final Instant startedAt;

  public ClusterRpcs(LocalNode node, ClusterMembers members, Instant startedAt) {
    this.node = node;
    this.members = members;
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
   * Answers with this node for any shard id, existing or not: HStreamDB places a shard by hashing
   * its id and checks nothing either; the call that follows (Append, a reader) reports a missing
   * shard.
   */
  @Override
  public void lookupShard(
      LookupShardRequest request, StreamObserver<LookupShardResponse> observer) {
    Calls.unary(
        observer,
        () ->
            LookupShardResponse.newBuilder()
                .setShardId(request.getShardId())
                .setServerNode(node.toServerNode())
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
            case ResStream, ResSubscription, ResShard, ResShardReader, ResConnector, ResQuery -> {}
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

  @Override
  public void lookupKey(LookupKeyRequest request, StreamObserver<ServerNode> observer) {
    Calls.unary(observer, node::toServerNode);
  }
}
