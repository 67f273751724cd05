package io.inlet.bench.server;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.EchoRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Polls a server until it accepts a request. */
public final class Readiness {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private Readiness() {}

  /**
   * Polls the port until it accepts a TCP connection, then sends Echo on a fresh channel until one
   * is answered. A fresh channel per attempt avoids gRPC's reconnect back-off, which would add up
   * to a second to the measured time.
   *
   * @param aliveCheck throws when the server can no longer become ready
   * @return the {@link System#nanoTime()} at which the first Echo was answered
   */
  public static long awaitEcho(String host, int port, Duration timeout, Runnable aliveCheck) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastFailure = "the port never accepted a connection";
    while (System.nanoTime() < deadline) {
      aliveCheck.run();
      if (accepts(host, port)) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
          HStreamApiGrpc.newBlockingStub(channel)
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .echo(EchoRequest.newBuilder().setMsg("bench").build());
          return System.nanoTime();
        } catch (StatusRuntimeException e) {
          lastFailure = "Echo failed: " + e.getStatus();
        } finally {
          channel.shutdownNow();
        }
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    throw new IllegalStateException(
        "the server at "
            + host
            + ":"
            + port
            + " did not answer within "
            + timeout
            + ": "
            + lastFailure);
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 100);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
