package io.inlet.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.bridge.testing.MosquittoBroker;
import io.inlet.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bridge client against the real Mosquitto, with an in-memory ingestor. */
class BridgeMosquittoIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private MosquittoBroker mosquitto;
  private String prefix;
  private final List<String> clientIds = new ArrayList<>();
  private final List<BridgeManager> managers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    mosquitto = MosquittoBroker.require();
    prefix = "inlet-it/" + UUID.randomUUID() + "/";
  }

  @AfterEach
  void tearDown() {
    managers.forEach(BridgeManager::close);
    clientIds.forEach(mosquitto::forgetSession);
  }

  private BridgeSpec.Builder spec(String name, MqttProtocol protocol) {
    String clientId = "inlet-it-" + UUID.randomUUID();
    clientIds.add(clientId);
    return BridgeSpec.builder(name)
        .host(mosquitto.host)
        .port(mosquitto.port)
        .protocol(protocol)
        .clientId(clientId)
        .topics(List.of(prefix + "#"))
        .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  private BridgeManager start(BridgeSpec spec, RecordingIngestor ingestor) {
    BridgeManager manager = BridgeManager.start(List.of(spec), ingestor, 1, Duration.ofSeconds(5));
    managers.add(manager);
    Await.until(
        "bridge subscribed",
        DEADLINE,
        () -> manager.statuses().get(0).subscribed(),
        () -> manager.statuses().toString());
    return manager;
  }

  private static List<String> payloads(String tag, int count) {
    return IntStream.range(0, count).mapToObj(i -> tag + "-" + i).toList();
  }

  @ParameterizedTest
  @EnumSource(MqttProtocol.class)
  void messages_published_upstream_reach_the_ingestor_with_their_metadata(MqttProtocol protocol) {
    RecordingIngestor ingestor = new RecordingIngestor();
    BridgeManager manager = start(spec("up", protocol).build(), ingestor);

    mosquitto.publishText(prefix + "dev-1/temp", payloads("m", 20));

    Await.until("20 messages", DEADLINE, () -> ingestor.payloads().size() >= 20);
    assertThat(ingestor.payloads()).containsExactlyElementsOf(payloads("m", 20));
    InboundMessage first = ingestor.messages().get(0);
    assertThat(first.topic()).isEqualTo(prefix + "dev-1/temp");
    assertThat(first.qos()).isEqualTo(1);
    assertThat(first.source()).isEqualTo("bridge:up");
    BridgeStatus status = manager.statuses().get(0);
    assertThat(status.state()).isEqualTo(BridgeState.CONNECTED);
    assertThat(status.connectedSince()).isNotNull();
    assertThat(status.messagesIn()).isEqualTo(20);
    assertThat(status.messagesStored()).isEqualTo(20);
    assertThat(status.protocol()).isEqualTo(protocol.configName());
  }

  @ParameterizedTest
  @EnumSource(MqttProtocol.class)
  void messages_published_while_the_bridge_is_stopped_arrive_when_it_starts_again(
      MqttProtocol protocol) {
    BridgeSpec spec = spec("up", protocol).build();
    RecordingIngestor before = new RecordingIngestor();
    BridgeManager first = start(spec, before);
    mosquitto.publishText(prefix + "a", payloads("before", 5));
    Await.until("5 messages", DEADLINE, () -> before.payloads().size() >= 5);
    first.close();
    assertThat(first.statuses().get(0).state()).isEqualTo(BridgeState.STOPPED);

    mosquitto.publishText(prefix + "a", payloads("offline", 100));

    RecordingIngestor after = new RecordingIngestor();
    BridgeManager second = BridgeManager.start(List.of(spec), after, 1, Duration.ofSeconds(5));
    managers.add(second);
    Await.until(
        "100 queued messages",
        DEADLINE,
        () -> after.payloads().size() >= 100,
        () -> after.payloads().size() + " so far, " + second.statuses());
    assertThat(after.payloads()).containsExactlyElementsOf(payloads("offline", 100));
  }

  @Test
  void a_message_the_store_fails_is_not_acknowledged_and_is_redelivered_after_a_reconnect() {
    RecordingIngestor ingestor = new RecordingIngestor();
    ingestor.failFirstAttemptOf("m-2");
    BridgeManager manager = start(spec("up", MqttProtocol.V5).build(), ingestor);

    mosquitto.publishText(prefix + "x", payloads("m", 5));

    Await.until(
        "every message stored",
        DEADLINE,
        () -> ingestor.payloads().containsAll(payloads("m", 5)),
        () -> ingestor.payloads() + " " + manager.statuses());
    BridgeStatus status = manager.statuses().get(0);
    assertThat(status.storeFailures()).isEqualTo(1);
    assertThat(status.reconnects()).isGreaterThanOrEqualTo(1);
    assertThat(status.lastError()).contains("disk full");
    Await.until(
        "connected again",
        DEADLINE,
        () -> manager.statuses().get(0).state() == BridgeState.CONNECTED);
  }

  @Test
  void an_unreachable_broker_is_retried_with_backoff_and_reported() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    BridgeSpec spec =
        BridgeSpec.builder("down")
            .host("127.0.0.1")
            .port(closedPort)
            .topics(List.of("a/#"))
            .reconnectDelays(Duration.ofMillis(20), Duration.ofMillis(100))
            .build();
    BridgeManager manager =
        BridgeManager.start(List.of(spec), new RecordingIngestor(), 7, Duration.ofSeconds(1));
    managers.add(manager);

    Await.until(
        "several attempts",
        DEADLINE,
        () -> manager.statuses().get(0).reconnects() >= 3,
        () -> manager.statuses().toString());
    BridgeStatus status = manager.statuses().get(0);
    assertThat(status.state()).isEqualTo(BridgeState.RECONNECTING);
    assertThat(status.lastError()).isNotBlank();
    assertThat(status.clientId()).isEqualTo("inlet-7-down");
    assertThat(status.connectedSince()).isNull();
    manager.close();
    assertThat(manager.statuses().get(0).state()).isEqualTo(BridgeState.STOPPED);
  }
}
