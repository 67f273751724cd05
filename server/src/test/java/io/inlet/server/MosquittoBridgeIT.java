package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.admin.BridgeState;
import io.inlet.api.admin.BridgeStatus;
import io.inlet.api.admin.GetBridgeStatusRequest;
import io.inlet.api.admin.InletAdminGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.bridge.testing.MosquittoBroker;
import io.inlet.cli.InletCli;
import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.StreamReads;
import io.inlet.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge end to end, as a user runs it: an Inlet process with a config file that bridges a
 * topic tree of the real Mosquitto into a stream; messages published there are read back through
 * the gRPC API, including those published while Inlet was stopped.
 */
class MosquittoBridgeIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path work;
  private MosquittoBroker mosquitto;
  private String prefix;
  private String clientId;
  private InletProcess inlet;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() {
    mosquitto = MosquittoBroker.require();
    String id = UUID.randomUUID().toString();
    prefix = "inlet-it/" + id;
    clientId = "inlet-it-" + id;
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    closeChannel();
    if (inlet != null) {
      inlet.close();
    }
    if (mosquitto != null) {
      mosquitto.forgetSession(clientId);
    }
  }

  private Path config() throws Exception {
    Path file = work.resolve("inlet.yaml");
    Files.writeString(
        file,
        """
        rules:
          - name: bridged
            topic: %1$s/#
            stream: bridged
            key: ${topic.3}
        bridges:
          - name: mosquitto
            host: %2$s
            port: %3$d
            client-id: %4$s
            topics: [%1$s/#]
            reconnect-delay-min: 100ms
            reconnect-delay-max: 2s
        """
            .formatted(prefix, mosquitto.host, mosquitto.port, clientId));
    return file;
  }

  private void startInlet(int run) throws Exception {
    inlet =
        InletProcess.start(
                work.resolve("run-" + run), work.resolve("data"), "--config", config().toString())
            .awaitReady(DEADLINE);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", inlet.grpcPort()).usePlaintext().build();
    Await.until(
        "the bridge subscribed",
        DEADLINE,
        () -> status().getSubscribed(),
        () -> status().toString());
  }

  private void stopInlet() throws Exception {
    closeChannel();
    assertThat(inlet.stop(Duration.ofSeconds(30))).as(inlet.output()).isIn(0, 143);
    assertThat(inlet.output()).contains("bridge mosquitto: stopped");
  }

  private void closeChannel() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      channel = null;
    }
  }

  private BridgeStatus status() {
    return InletAdminGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getBridgeStatus(GetBridgeStatusRequest.newBuilder().setName("mosquitto").build())
        .getBridges(0);
  }

  /** Text, JSON and binary payloads, each tagged so order and loss are visible. */
  private static List<byte[]> payloads(String tag, int count) {
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      payloads.add(
          switch (i % 3) {
            case 0 -> (tag + "-" + i).getBytes(StandardCharsets.UTF_8);
            case 1 ->
                ("{\"tag\":\"" + tag + "\",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            default -> new byte[] {(byte) 0xFF, 0, (byte) i, (byte) tag.length(), '\n'};
          });
    }
    return payloads;
  }

  private static List<String> hex(List<byte[]> payloads) {
    return payloads.stream().map(MosquittoBridgeIT::hex).toList();
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }

  /** The stream's records; none before the first message created it. */
  private List<HStreamRecord> stored() {
    try {
      return StreamReads.records(channel, "bridged");
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
  }

  @Test
  void every_message_published_upstream_lands_in_the_stream_also_while_inlet_was_down()
      throws Exception {
    startInlet(1);
    List<byte[]> online = payloads("online", 30);
    Mqtt5BlockingClient publisher = mosquitto.publisher();
    try {
      for (byte[] payload : online) {
        publisher
            .publishWith()
            .topic(prefix + "/dev-1/data")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload)
            .userProperties()
            .add("unit", "C")
            .applyUserProperties()
            .send();
      }
    } finally {
      publisher.disconnect();
    }
    Await.until(
        "30 records", DEADLINE, () -> stored().size() >= 30, () -> stored().size() + " records");
    List<HStreamRecord> first = stored();
    assertThat(first.stream().map(r -> hex(r.getPayload().toByteArray())).toList())
        .containsExactlyElementsOf(hex(online));
    HStreamRecord record = first.get(0);
    assertThat(record.getHeader().getKey()).isEqualTo("dev-1");
    assertThat(record.getHeader().getAttributesMap())
        .containsEntry("mqtt.topic", prefix + "/dev-1/data")
        .containsEntry("mqtt.qos", "1")
        .containsEntry("mqtt.user.unit", "C")
        .doesNotContainKey("mqtt.clientId");
    assertThat(bridgeStatusTable()).contains("mosquitto", "connected", "30");

    stopInlet();
    List<byte[]> offline = payloads("offline", 300);
    mosquitto.publish(prefix + "/dev-2/data", offline);
    startInlet(2);

    List<byte[]> all = new ArrayList<>(online);
    all.addAll(offline);
    Await.until(
        "330 distinct records",
        DEADLINE,
        () ->
            new LinkedHashSet<>(
                        hex(stored().stream().map(r -> r.getPayload().toByteArray()).toList()))
                    .size()
                >= 330,
        () -> stored().size() + " records, bridge " + status());
    List<String> distinct =
        new ArrayList<>(
            new LinkedHashSet<>(
                hex(stored().stream().map(r -> r.getPayload().toByteArray()).toList())));
    assertThat(distinct).containsExactlyElementsOf(hex(all));
    BridgeStatus status = status();
    assertThat(status.getState()).isEqualTo(BridgeState.BRIDGE_STATE_CONNECTED);
    assertThat(status.getMessagesStored()).isGreaterThanOrEqualTo(300);
    assertThat(status.getStoreFailures()).isZero();
  }

  private String bridgeStatusTable() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        InletCli.commandLine(
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err))
            .execute("bridge", "status", "--server", "127.0.0.1:" + inlet.grpcPort());
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }
}
