package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.RecordBatches;
import io.inlet.emqx.v3.proto.BrokerInfo;
import io.inlet.emqx.v3.proto.ClientConnectedRequest;
import io.inlet.emqx.v3.proto.ClientInfo;
import io.inlet.emqx.v3.proto.HookProviderGrpc;
import io.inlet.emqx.v3.proto.HookSpec;
import io.inlet.emqx.v3.proto.Message;
import io.inlet.emqx.v3.proto.MessagePublishRequest;
import io.inlet.emqx.v3.proto.ProviderLoadedRequest;
import io.inlet.emqx.v3.proto.ProviderUnloadedRequest;
import io.inlet.emqx.v3.proto.RequestMeta;
import io.inlet.emqx.v3.proto.ValuedResponse;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.entry.BatchEntries;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EMQX's ExHook against a whole node: the hooks driven end to end, ports and settings. */
class ExHookIT {
  private static final RequestMeta META =
      RequestMeta.newBuilder().setNode("emqx@127.0.0.1").setVersion("5.9.1").build();

  @TempDir Path dir;

  @Test
  void emqx_publishes_are_stored_before_each_answer_and_the_port_file_names_the_port()
      throws Exception {
    try (InletServer server = InletServer.start(ServerConfig.forTests(dir.resolve("data")))) {
      Path portFile = dir.resolve("ports.json");
      PortFile.write(portFile, server);
      JsonNode ports = new ObjectMapper().readTree(Files.readString(portFile));
      assertThat(ports.get("exhookPort").asInt()).isEqualTo(server.exhookPort()).isPositive();

      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", ports.get("exhookPort").asInt())
              .usePlaintext()
              .build();
      try {
        var emqx =
            HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        var loaded =
            emqx.onProviderLoaded(
                ProviderLoadedRequest.newBuilder()
                    .setBroker(BrokerInfo.newBuilder().setVersion("5.9.1"))
                    .setMeta(META)
                    .build());
        assertThat(loaded.getHooksList())
            .containsExactly(
                HookSpec.newBuilder().setName("message.publish").addTopics("#").build());
        emqx.onClientConnected(
            ClientConnectedRequest.newBuilder()
                .setClientinfo(ClientInfo.newBuilder().setClientid("dev-1"))
                .setMeta(META)
                .build());

        for (int i = 0; i < 5; i++) {
          String payload = "{\"temperature\":" + (20 + i) + "}";
          Message message =
              Message.newBuilder()
                  .setNode("emqx@127.0.0.1")
                  .setId("0006" + i)
                  .setQos(1)
                  .setFrom("dev-1")
                  .setTopic("sensors/dev-1/temperature")
                  .setPayload(ByteString.copyFromUtf8(payload))
                  .setTimestamp(System.currentTimeMillis())
                  .putHeaders("username", "dev")
                  .build();
          ValuedResponse answer =
              emqx.onMessagePublish(
                  MessagePublishRequest.newBuilder().setMessage(message).setMeta(META).build());
          assertThat(answer.getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
          assertThat(answer.getMessage()).isEqualTo(message);
          assertThat(payloads(server.store())).contains(payload);
        }
        emqx.onProviderUnloaded(ProviderUnloadedRequest.newBuilder().setMeta(META).build());
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThat(server.exhook().stats().snapshot().stored()).isEqualTo(5);
    }
  }

  @Test
  void emqx_5_8_over_v2_reaches_the_same_store() throws Exception {
    try (InletServer server = InletServer.start(ServerConfig.forTests(dir.resolve("data")))) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.exhookPort()).usePlaintext().build();
      try {
        var emqx =
            io.inlet.emqx.v2.proto.HookProviderGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        assertThat(
                emqx.onProviderLoaded(
                        io.inlet.emqx.v2.proto.ProviderLoadedRequest.getDefaultInstance())
                    .getHooks(0)
                    .getName())
            .isEqualTo("message.publish");
        var answer =
            emqx.onMessagePublish(
                io.inlet.emqx.v2.proto.MessagePublishRequest.newBuilder()
                    .setMessage(
                        io.inlet.emqx.v2.proto.Message.newBuilder()
                            .setFrom("plc-7")
                            .setTopic("factory/press")
                            .setQos(1)
                            .setPayload(ByteString.copyFromUtf8("pressure=7.1")))
                    .build());
        assertThat(answer.getType())
            .isEqualTo(io.inlet.emqx.v2.proto.ValuedResponse.ResponsedType.CONTINUE);
        assertThat(payloads(server.store())).contains("pressure=7.1");
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void a_default_exhook_port_in_use_leaves_the_node_running_without_exhook() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      // The port is taken while left at its default (as 9000 would be by another program).
      ServerConfig config =
          ServerConfig.forTests(
              dir.resolve("data"),
              Map.of(),
              Map.of("exhook-port", Integer.toString(taken.getLocalPort())));
      try (InletServer server = InletServer.start(config)) {
        assertThat(server.exhookPort()).isEqualTo(-1);
        assertThat(server.grpcPort()).isPositive();
        Path portFile = dir.resolve("ports.json");
        PortFile.write(portFile, server);
        assertThat(new ObjectMapper().readTree(Files.readString(portFile)).has("exhookPort"))
            .isFalse();
      }
    }
  }

  @Test
  void an_explicit_exhook_port_in_use_is_a_clear_error() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ServerConfig config =
          ServerConfig.forTests(dir.resolve("data"), Map.of("exhook-port", Integer.toString(port)));
      assertThatThrownBy(() -> InletServer.start(config))
          .isInstanceOf(StartupException.class)
          .hasMessage(
              "exhook-port "
                  + port
                  + " is already in use; choose another with --exhook-port (0 picks a free port)");
    }
  }

  @Test
  void exhook_can_be_turned_off() throws Exception {
    ServerConfig config =
        ServerConfig.forTests(dir.resolve("data"), Map.of("exhook-enabled", "false"));
    try (InletServer server = InletServer.start(config)) {
      assertThat(server.exhookPort()).isEqualTo(-1);
      assertThat(server.exhook()).isNull();
    }
  }

  /** Every record payload of every stream, as text. */
  private static List<String> payloads(StreamStore store) {
    List<String> payloads = new ArrayList<>();
    for (StreamInfo stream : store.streams().list("")) {
      for (ShardInfo shard : stream.shards()) {
        for (StoredEntry batch : store.log().read(shard.shardId(), 0, 10_000)) {
          for (HStreamRecord record : RecordBatches.decode(BatchEntries.batch(batch))) {
            payloads.add(record.getPayload().toString(StandardCharsets.UTF_8));
          }
        }
      }
    }
    return payloads;
  }
}
