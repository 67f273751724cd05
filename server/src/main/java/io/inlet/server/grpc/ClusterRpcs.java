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
import io.inlet.store.StreamStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The cluster as clients see it: DescribeCluster, LookupShard, LookupResource and LookupKey. A
 * single node answers every lookup with itself, after checking the named resource exists.
 */
public final class ClusterRpcs implements RpcGroup {
  /** The HStreamDB protocol version Inlet speaks. */
  public static final String PROTOCOL_VERSION = "0.20.3";

  private final StreamStore store;
  private final LocalNode node;
  private final Instant startedAt;

  public ClusterRpcs(StreamStore store, LocalNode node, Instant startedAt) {
    this.store = store;
    this.node = node;
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
          ServerNode self = node.toServerNode();
          return DescribeClusterResponse.newBuilder()
              .setProtocolVersion(PROTOCOL_VERSION)
              .addServerNodes(self)
              .addServerNodesStatus(
                  ServerNodeStatus.newBuilder().setNode(self).setState(NodeState.Running))
              .setClusterUpTime(Math.max(0, Duration.between(startedAt, Instant.now()).toSeconds()))
              .build();
        });
  }

  @Override
  public void lookupShard(
      LookupShardRequest request, StreamObserver<LookupShardResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          requireShard(request.getShardId());
          return LookupShardResponse.newBuilder()
              .setShardId(request.getShardId())
              .setServerNode(node.toServerNode())
              .build();
        });
  }

  @Override
  public void lookupResource(LookupResourceRequest request, StreamObserver<ServerNode> observer) {
    Calls.unary(
        observer,
        () -> {
          String id = request.getResId();
          switch (request.getResType()) {
            case ResStream -> {
              if (store.streams().get(id).isEmpty()) {
                throw InletException.streamNotFound(id);
              }
            }
            case ResSubscription -> {
              if (store.subscriptions().get(id).isEmpty()) {
                throw InletException.subscriptionNotFound(id);
              }
            }
            case ResShard -> {
              long shardId;
              try {
                shardId = Long.parseUnsignedLong(id.trim());
              } catch (NumberFormatException e) {
                throw new InletException(
                    ErrorCode.StreamInvalidObjectIdentifier,
                    "a shard id is a number, found: \"" + id + "\"");
              }
              requireShard(shardId);
            }
            case ResShardReader -> {
              if (store.readers().get(id).isEmpty()) {
                throw ShardReaders.notFound(id);
              }
            }
            case ResConnector ->
                throw new InletException(
                    ErrorCode.ConnectorNotFound, "connector \"" + id + "\" not found");
            case ResQuery ->
                throw new InletException(ErrorCode.QueryNotFound, "query \"" + id + "\" not found");
            case ResView ->
                throw new InletException(ErrorCode.ViewNotFound, "view \"" + id + "\" not found");
            default ->
                throw GrpcErrors.invalidArgument(
                    ErrorCode.InternalError, "unknown resource type " + request.getResTypeValue());
          }
          return node.toServerNode();
        });
  }

  @Override
  public void lookupKey(LookupKeyRequest request, StreamObserver<ServerNode> observer) {
    Calls.unary(observer, node::toServerNode);
  }

  private void requireShard(long shardId) {
    if (store.streams().shard(shardId).isEmpty()) {
      throw GrpcErrors.notFound(
          ErrorCode.StreamNotFound, "shard " + Long.toUnsignedString(shardId) + " not found");
    }
  }
}
