package io.inlet.server.cluster;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.ServerNode;
import io.netty.handler.ssl.SslContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per other node, by the address it advertises (a restarted node with a new
 * address gets a new channel): TLS when the nodes' gRPC ports speak it ({@link ForwardingTls}),
 * else plain TCP.
 */
final class OwnerChannels implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxMessageBytes;
  private final Optional<SslContext> tls;
  private volatile boolean closed;

  OwnerChannels(int maxMessageBytes, Optional<SslContext> tls) {
    this.maxMessageBytes = maxMessageBytes;
    this.tls = tls;
  }

  ManagedChannel to(ServerNode node) {
    if (closed) {
      throw new IllegalStateException("the node is shutting down");
    }
    return channels.computeIfAbsent(
        node.getHost() + ":" + Integer.toUnsignedString(node.getPort()),
        address -> {
          NettyChannelBuilder builder =
              NettyChannelBuilder.forAddress(node.getHost(), node.getPort())
                  .maxInboundMessageSize(maxMessageBytes);
          tls.ifPresentOrElse(builder::sslContext, builder::usePlaintext);
          return builder.build();
        });
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
