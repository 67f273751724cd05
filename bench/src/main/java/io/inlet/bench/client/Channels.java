package io.inlet.bench.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.bench.server.BenchTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels to the target. Load generators spread their clients over several channels, each its
 * own HTTP/2 connection, so many clients are not serialised on one connection.
 */
public final class Channels implements AutoCloseable {
  private static final int MAX_MESSAGE_BYTES = 256 << 20;
  private static final int FLOW_CONTROL_WINDOW = 16 << 20;

  private final List<ManagedChannel> channels = new ArrayList<>();

  private Channels() {}

  /** {@code count} channels; callbacks run on the transport threads (direct executor). */
  public static Channels open(BenchTarget target, int count) {
    return open(target.host(), target.port(), count);
  }

  /** {@code count} channels to {@code host:port}. */
  public static Channels open(String host, int port, int count) {
    Channels pool = new Channels();
    for (int i = 0; i < count; i++) {
      pool.channels.add(
          NettyChannelBuilder.forAddress(host, port)
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .flowControlWindow(FLOW_CONTROL_WINDOW)
              .build());
    }
    return pool;
  }

  /** The channel for client {@code index}: clients are dealt round-robin over the channels. */
  public ManagedChannel forClient(int index) {
    return channels.get(index % channels.size());
  }

  public int size() {
    return channels.size();
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
