package io.inlet.server.cluster;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.ServerNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per other node, by the address it advertises (a restarted node with a new
 * address gets a new channel). Plain TCP: forwarding does not yet speak the gRPC port's TLS.
 */
final class OwnerChannels implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxMessageBytes;
  private volatile boolean closed;

  OwnerChannels(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  ManagedChannel to(ServerNode node) {
    if (closed) {
      throw new IllegalStateException("the node is shutting down");
    }
    return channels.computeIfAbsent(
        node.getHost() + ":" + Integer.toUnsignedString(node.getPort()),
        address ->
            NettyChannelBuilder.forAddress(node.getHost(), node.getPort())
                .usePlaintext()
                .maxInboundMessageSize(maxMessageBytes)
                .build());
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
