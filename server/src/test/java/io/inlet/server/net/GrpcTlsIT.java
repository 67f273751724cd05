package io.inlet.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.DescribeClusterResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.Stream;
import io.inlet.emqx.v3.proto.BrokerInfo;
import io.inlet.emqx.v3.proto.HookProviderGrpc;
import io.inlet.emqx.v3.proto.Message;
import io.inlet.emqx.v3.proto.MessagePublishRequest;
import io.inlet.emqx.v3.proto.ProviderLoadedRequest;
import io.inlet.server.InletServer;
import io.inlet.server.StartupException;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import io.inlet.server.testing.TlsFiles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC API and ExHook ports over TLS, with and without client certificates, dialled the way
 * hstreamdb-java does ({@code TlsChannelCredentials} with {@code trustManager(ca)} and {@code
 * keyManager(cert, key)}) and the way EMQX's ExHook client does (TLS with its certfile/keyfile).
 */
class GrpcTlsIT {
  @TempDir Path dir;

  private InletServer start(Map<String, String> settings) {
    return TestServers.start(ServerConfig.forTests(dir.resolve("data"), settings));
  }

  private static ManagedChannel channel(int port, ChannelCredentials credentials) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
  }

  private static ChannelCredentials trusting(TlsFiles tls) throws Exception {
    return TlsChannelCredentials.newBuilder().trustManager(tls.ca().toFile()).build();
  }

  private static ChannelCredentials withCertificate(TlsFiles tls, Path cert, Path key)
      throws Exception {
    return TlsChannelCredentials.newBuilder()
        .trustManager(tls.ca().toFile())
        .keyManager(cert.toFile(), key.toFile())
        .build();
  }

  private static HStreamApiGrpc.HStreamApiBlockingStub api(ManagedChannel channel) {
    return HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The status code of a ListStreams call on a fresh channel, OK when it succeeds. */
  private static Status.Code listStreams(int port, ChannelCredentials credentials)
      throws InterruptedException {
    ManagedChannel channel = channel(port, credentials);
    try {
      Throwable failure =
          catchThrowable(() -> api(channel).listStreams(ListStreamsRequest.getDefaultInstance()));
      return failure == null ? Status.Code.OK : Status.fromThrowable(failure).getCode();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void the_grpc_api_over_tls_serves_tls_clients_only() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    try (InletServer server = start(tls.serverSettings("grpc", false))) {
      int port = server.grpcPort();
      assertThat(listStreams(port, InsecureChannelCredentials.create()))
          .isEqualTo(Status.Code.UNAVAILABLE);
      ManagedChannel channel = channel(port, trusting(tls));
      try {
        api(channel)
            .createStream(
                Stream.newBuilder()
                    .setStreamName("s")
                    .setShardCount(1)
                    .setReplicationFactor(1)
                    .build());
        long shard =
            api(channel)
                .listShards(ListShardsRequest.newBuilder().setStreamName("s").build())
                .getShards(0)
                .getShardId();
        var ids =
            api(channel)
                .append(
                    AppendRequest.newBuilder()
                        .setStreamName("s")
                        .setShardId(shard)
                        .setRecords(GrpcClient.batch(GrpcClient.rawRecords("k", "over tls", 3)))
                        .build());
        assertThat(ids.getRecordIdsCount()).isEqualTo(3);
        DescribeClusterResponse cluster = api(channel).describeCluster(Empty.getDefaultInstance());
        assertThat(cluster.getServerNodes(0).getPort()).isEqualTo(port);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void with_a_client_ca_only_clients_with_a_certificate_from_it_get_in() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    try (InletServer server = start(tls.serverSettings("grpc", true))) {
      int port = server.grpcPort();
      assertThat(listStreams(port, InsecureChannelCredentials.create()))
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(listStreams(port, trusting(tls)))
          .as("no client certificate")
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(listStreams(port, withCertificate(tls, tls.strangerCert(), tls.strangerKey())))
          .as("a certificate from another CA")
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(listStreams(port, withCertificate(tls, tls.clientCert(), tls.clientKey())))
          .isEqualTo(Status.Code.OK);
    }
  }

  @Test
  void exhook_over_mutual_tls_serves_emqx_with_its_certificate_only() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    try (InletServer server = start(tls.serverSettings("exhook", true));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      int port = server.exhookPort();
      client.createStream("mqtt_messages", 1);
      for (ChannelCredentials refused :
          new ChannelCredentials[] {
            InsecureChannelCredentials.create(),
            trusting(tls),
            withCertificate(tls, tls.strangerCert(), tls.strangerKey())
          }) {
        ManagedChannel channel = channel(port, refused);
        try {
          assertThatThrownBy(() -> loadProvider(channel))
              .isInstanceOfSatisfying(
                  StatusRuntimeException.class,
                  e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
      ManagedChannel emqx = channel(port, withCertificate(tls, tls.clientCert(), tls.clientKey()));
      try {
        loadProvider(emqx);
        HookProviderGrpc.newBlockingStub(emqx)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .onMessagePublish(
                MessagePublishRequest.newBuilder()
                    .setMessage(
                        Message.newBuilder()
                            .setTopic("sensors/1")
                            .setFrom("dev-1")
                            .setQos(1)
                            .setPayload(ByteString.copyFrom("over tls", StandardCharsets.UTF_8)))
                    .build());
      } finally {
        emqx.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThat(server.exhook().stats().snapshot().received()).isEqualTo(1);
    }
  }

  private static void loadProvider(ManagedChannel channel) {
    HookProviderGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .onProviderLoaded(
            ProviderLoadedRequest.newBuilder()
                .setBroker(BrokerInfo.newBuilder().setVersion("5.9.1"))
                .build());
  }

  @Test
  void a_certificate_that_cannot_be_loaded_stops_the_start_naming_the_settings() throws Exception {
    TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
    Map<String, String> settings = new HashMap<>(tls.serverSettings("grpc", false));
    settings.put("grpc-tls-key-file", tls.ca().toString()); // a certificate, not a key
    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("grpc-tls-cert-file " + tls.serverCert())
        .hasMessageContaining("grpc-tls-key-file " + tls.ca());
    assertThat(new File(dir.toFile(), "data")).exists();
  }
}
