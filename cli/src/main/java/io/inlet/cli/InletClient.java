package io.inlet.cli;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.admin.InletAdminGrpc;
import io.inlet.api.cluster.ShardStatusGrpc;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamApiGrpc.HStreamApiBlockingStub;
import io.inlet.api.hstream.HStreamApiGrpc.HStreamApiStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel (plaintext or TLS) to an Inlet node for the lifetime of one CLI command. Unary
 * calls get the {@code --timeout} deadline; streaming calls run until the command ends them.
 */
public final class InletClient implements AutoCloseable {
  private static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  private final ServerAddress address;
  private final Duration timeout;
  private final ManagedChannel channel;

  private InletClient(
      ServerAddress address, Duration timeout, String userAgent, ChannelCredentials credentials) {
    this.address = address;
    this.timeout = timeout;
    this.channel =
        NettyChannelBuilder.forAddress(address.host(), address.port(), credentials)
            .userAgent(userAgent)
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            .build();
  }

  static InletClient connect(
      ServerAddress address, Duration timeout, ChannelCredentials credentials) {
    return new InletClient(address, timeout, "inlet-cli/" + InletCli.version(), credentials);
  }

  ServerAddress address() {
    return address;
  }

  /** A stub for one unary call: its deadline starts now. */
  public HStreamApiBlockingStub unary() {
    return HStreamApiGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** An Inlet admin API stub for one unary call: its deadline starts now. */
  InletAdminGrpc.InletAdminBlockingStub admin() {
    return InletAdminGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A stub of the cluster's shard status service, for one unary call. */
  ShardStatusGrpc.ShardStatusBlockingStub shardStatus() {
    return ShardStatusGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A blocking stub without deadline, for server-streaming reads. */
  HStreamApiBlockingStub streaming() {
    return HStreamApiGrpc.newBlockingStub(channel);
  }

  /** An async stub without deadline, for bidirectional calls. */
  public HStreamApiStub async() {
    return HStreamApiGrpc.newStub(channel);
  }

  /** Cancels any call still running and waits briefly for the transport to close. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
