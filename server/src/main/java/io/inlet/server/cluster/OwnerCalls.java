package io.inlet.server.cluster;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.ServerNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Unary HStreamApi calls answered by the node that owns what they name (a connector, a
 * subscription): served here when this node is the owner, or when another node forwarded the call
 * ({@link ForwardedCalls}, so two nodes that disagree for a moment never pass it back and forth);
 * otherwise forwarded to the owner, whose answer, errors included, is relayed as it is.
 */
final class OwnerCalls {
  private final int selfId;
  private final OwnerChannels channels;
  private final ClientInterceptor mark;
  private final Duration deadline;

  /**
   * @param deadline how long a forwarded call may take at the owner
   */
  OwnerCalls(int selfId, OwnerChannels channels, Duration deadline) {
    this.selfId = selfId;
    this.channels = channels;
    this.mark = ForwardedCalls.marking(selfId);
    this.deadline = deadline;
  }

  /** A channel to {@code node} whose calls carry this node's forwarding mark. */
  Channel marked(ServerNode node) {
    return ClientInterceptors.intercept(channels.to(node), mark);
  }

  <Q, R> void at(
      ServerNode owner,
      MethodDescriptor<Q, R> method,
      Q request,
      StreamObserver<R> out,
      BiConsumer<Q, StreamObserver<R>> here) {
    if (ForwardedCalls.isForwarded() || owner.getId() == selfId) {
      here.accept(request, out);
      return;
    }
    ClientCalls.asyncUnaryCall(
        marked(owner)
            .newCall(
                method,
                CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)),
        request,
        out);
  }
}
