package io.inlet.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.emqx.v3.proto.BrokerInfo;
import io.inlet.emqx.v3.proto.HookProviderGrpc;
import io.inlet.emqx.v3.proto.ProviderLoadedRequest;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.RawConnection;
import io.inlet.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC API and ExHook ports against clients that connect and never speak, speak and then idle,
 * or open more connections than the port allows; raw sockets play those clients, real gRPC clients
 * check that the port still serves.
 */
class GrpcConnectionLimitsIT {
  /** The HTTP/2 connection preface, then an empty SETTINGS frame: a client that says hello. */
  static final byte[] HTTP2_HELLO = http2Hello();

  private static final Duration CLOSED_WITHIN = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static byte[] http2Hello() {
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    byte[] hello = new byte[preface.length + settings.length];
    System.arraycopy(preface, 0, hello, 0, preface.length);
    System.arraycopy(settings, 0, hello, preface.length, settings.length);
    return hello;
  }

  private InletServer start(Map<String, String> settings) {
    return TestServers.start(ServerConfig.forTests(dir.resolve("data"), settings));
  }

  @Test
  void connections_that_never_send_the_http2_preface_are_closed_after_the_handshake_timeout()
      throws Exception {
    try (InletServer server = start(Map.of("grpc-handshake-timeout", "1s"));
        RawConnection silentGrpc = RawConnection.open(server.grpcPort());
        RawConnection partialGrpc =
            RawConnection.open(server.grpcPort())
                .send("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
        RawConnection silentExHook = RawConnection.open(server.exhookPort());
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      assertThat(silentGrpc.closedByServerWithin(CLOSED_WITHIN)).isTrue();
      assertThat(partialGrpc.closedByServerWithin(CLOSED_WITHIN)).isTrue();
      assertThat(silentExHook.closedByServerWithin(CLOSED_WITHIN)).isTrue();
      client.createStream("s", 1);
      assertThat(
              client.stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsCount())
          .isEqualTo(1);
    }
  }

  @Test
  void a_connection_without_calls_is_closed_after_the_idle_timeout_and_clients_reconnect()
      throws Exception {
    try (InletServer server =
            start(Map.of("grpc-idle-timeout", "1s", "grpc-handshake-timeout", "30s"));
        RawConnection idle = RawConnection.open(server.grpcPort()).send(HTTP2_HELLO);
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("s", 1);
      assertThat(idle.closedByServerWithin(CLOSED_WITHIN))
          .as("a connection that said hello and made no call is closed")
          .isTrue();
      // The real client's connection was closed too (GOAWAY): its next call reconnects.
      assertThat(
              client.stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsCount())
          .isEqualTo(1);
    }
  }

  @Test
  void connections_beyond_the_cap_are_closed_at_once_and_a_freed_place_serves_again()
      throws Exception {
    try (InletServer server =
        start(
            Map.of(
                "grpc-max-connections", "2",
                "exhook-max-connections", "1",
                "grpc-handshake-timeout", "60s"))) {
      List<RawConnection> held = new ArrayList<>();
      try {
        held.add(RawConnection.open(server.grpcPort()).send(HTTP2_HELLO));
        held.add(RawConnection.open(server.grpcPort()).send(HTTP2_HELLO));
        held.add(RawConnection.open(server.exhookPort()).send(HTTP2_HELLO));
        for (RawConnection connection : held) {
          assertThat(connection.isOpenAfter(Duration.ofMillis(500))).isTrue();
        }
        try (RawConnection third = RawConnection.open(server.grpcPort());
            RawConnection second = RawConnection.open(server.exhookPort())) {
          assertThat(third.closedByServerWithin(CLOSED_WITHIN)).isTrue();
          assertThat(second.closedByServerWithin(CLOSED_WITHIN)).isTrue();
        }
        assertThat(listStreamsFails(server.grpcPort())).isTrue();
        held.remove(0).close();
        held.remove(1).close();
        awaitServes(server);
        assertThat(server.metrics().scrape())
            .contains("inlet_listener_connections_refused_total{listener=\"grpc\"}")
            .contains("inlet_listener_connections_refused_total{listener=\"exhook\"}");
      } finally {
        for (RawConnection connection : held) {
          connection.close();
        }
      }
    }
  }

  private static boolean listStreamsFails(int port) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      Throwable failure =
          catchThrowable(
              () ->
                  HStreamApiGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .listStreams(ListStreamsRequest.getDefaultInstance()));
      return failure instanceof StatusRuntimeException e
          && e.getStatus().getCode() == Status.Code.UNAVAILABLE;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Awaits a real call on each port succeeding, with fresh channels (no reconnect backoff). */
  private static void awaitServes(InletServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      ManagedChannel api =
          NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      ManagedChannel exhook =
          NettyChannelBuilder.forAddress("127.0.0.1", server.exhookPort()).usePlaintext().build();
      try {
        HStreamApiGrpc.newBlockingStub(api)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .listStreams(ListStreamsRequest.getDefaultInstance());
        HookProviderGrpc.newBlockingStub(exhook)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .onProviderLoaded(
                ProviderLoadedRequest.newBuilder()
                    .setBroker(BrokerInfo.newBuilder().setVersion("5.9.1"))
                    .build());
        return;
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the ports did not serve again after a place was freed", e);
        }
        Thread.sleep(100);
      } finally {
        api.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        exhook.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
