package io.inlet.bridge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.inlet.api.auth.PasswordFile;
import io.inlet.api.auth.PasswordHasher;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.ListenerStats.Event;
import io.inlet.bridge.listener.MqttListenerSettings.Endpoint;
import io.inlet.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener with a real MQTT client library (HiveMQ's), as devices would use it. */
class HiveMqClientIT {
  private final TestIngestor ingestor = new TestIngestor();
  private TestListener server;
  @TempDir Path dir;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Mqtt5BlockingClient v5(String id) {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(server.port())
        .buildBlocking();
  }

  private Mqtt3BlockingClient v3(String id) {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(server.port())
        .buildBlocking();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void mqtt5_every_qos_is_stored_with_its_metadata() {
    server = TestListener.start(ingestor);
    Mqtt5BlockingClient client = v5("dev-5");
    client.connect();
    for (MqttQos qos : MqttQos.values()) {
      client
          .publishWith()
          .topic("sensors/" + qos.getCode())
          .qos(qos)
          .payload(utf8("v5-qos" + qos.getCode()))
          .contentType("text/plain")
          .userProperties()
          .add("unit", "C")
          .applyUserProperties()
          .send();
    }
    client.disconnect();
    Await.until(() -> ingestor.stored().size() == 3, "three publishes stored");
    InboundMessage qos2 =
        ingestor.stored().stream().filter(m -> m.qos() == 2).findFirst().orElseThrow();
    assertThat(qos2.topic()).isEqualTo("sensors/2");
    assertThat(qos2.clientId()).isEqualTo("dev-5");
    assertThat(qos2.contentType()).isEqualTo("text/plain");
    assertThat(qos2.userProperties()).containsExactly(Map.entry("unit", "C"));
    assertThat(ingestor.storedPayloads())
        .containsExactlyInAnyOrder("v5-qos0", "v5-qos1", "v5-qos2");
  }

  @Test
  void mqtt311_every_qos_is_stored() {
    server = TestListener.start(ingestor);
    Mqtt3BlockingClient client = v3("dev-3");
    client.connect();
    for (MqttQos qos : MqttQos.values()) {
      client
          .publishWith()
          .topic("t/" + qos.getCode())
          .qos(qos)
          .payload(utf8("v3-qos" + qos.getCode()))
          .send();
    }
    client.disconnect();
    Await.until(() -> ingestor.stored().size() == 3, "three publishes stored");
    assertThat(ingestor.storedPayloads())
        .containsExactlyInAnyOrder("v3-qos0", "v3-qos1", "v3-qos2");
  }

  @Test
  void mqtt5_reason_codes_reach_the_client() throws Exception {
    server = TestListener.start(ingestor);
    Mqtt5BlockingClient client = v5("codes");
    client.connect();
    Mqtt5PublishResult.Mqtt5Qos1Result unmatched =
        (Mqtt5PublishResult.Mqtt5Qos1Result)
            client.publishWith().topic("unmatched/x").qos(MqttQos.AT_LEAST_ONCE).send();
    assertThat(unmatched.getPubAck().getReasonCode().getCode()).isEqualTo(0x10);
    assertThat(reasonOf(client, "rejected/x", MqttQos.AT_LEAST_ONCE)).isEqualTo(0x99);
    assertThat(reasonOf(client, "fail/x", MqttQos.EXACTLY_ONCE)).isEqualTo(0x97);
    client.disconnect();
  }

  /** The reason code of the PUBACK/PUBREC (0 for success), however the client reports it. */
  private static int reasonOf(Mqtt5BlockingClient client, String topic, MqttQos qos)
      throws Exception {
    try {
      Mqtt5PublishResult result =
          client.toAsync().publishWith().topic(topic).qos(qos).send().get(10, TimeUnit.SECONDS);
      return result.getError().map(HiveMqClientIT::codeOf).orElse(0);
    } catch (ExecutionException e) {
      return codeOf(e.getCause());
    }
  }

  private static int codeOf(Throwable error) {
    if (error instanceof Mqtt5PubAckException e) {
      return e.getMqttMessage().getReasonCode().getCode();
    }
    if (error instanceof Mqtt5PubRecException e) {
      return e.getMqttMessage().getReasonCode().getCode();
    }
    throw new AssertionError("unexpected error", error);
  }

  @Test
  void persistent_session_is_present_on_reconnect() {
    server = TestListener.start(ingestor);
    Mqtt5BlockingClient client = v5("persistent");
    Mqtt5ConnAck first = client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    assertThat(first.isSessionPresent()).isFalse();
    client.publishWith().topic("t/p").qos(MqttQos.EXACTLY_ONCE).payload(utf8("p1")).send();
    client.disconnect();
    Mqtt5ConnAck second = client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    assertThat(second.isSessionPresent()).isTrue();
    client.disconnect();

    Mqtt3BlockingClient v3 = v3("persistent-3");
    assertThat(v3.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
    v3.disconnect();
    assertThat(v3.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
    v3.disconnect();
  }

  @Test
  void subscribe_is_refused() {
    server = TestListener.start(ingestor);
    Mqtt5BlockingClient client = v5("subscriber");
    client.connect();
    assertThatThrownBy(() -> client.subscribeWith().topicFilter("a/#").send())
        .isInstanceOfSatisfying(
            Mqtt5SubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR));
    client.disconnect();
    assertThat(server.count(Event.SUBSCRIBE_REFUSED)).isEqualTo(1);
  }

  private Authenticator.Settings users(boolean anonymous, String acl) throws Exception {
    Path passwords = dir.resolve("passwords");
    PasswordFile.empty()
        .with("alice", PasswordHasher.hash("wonderland".toCharArray(), 1000))
        .with("bob", PasswordHasher.hash("builder".toCharArray(), 1000))
        .save(passwords);
    Path aclFile = null;
    if (acl != null) {
      aclFile = dir.resolve("acl");
      Files.writeString(aclFile, acl);
    }
    return new Authenticator.Settings(passwords, aclFile, anonymous);
  }

  @Test
  void username_and_password_are_checked_against_the_password_file() throws Exception {
    server = TestListener.start(MqttListenerSettings.forTests(), users(false, null), ingestor);
    Mqtt5BlockingClient good = v5("good");
    good.connectWith()
        .simpleAuth()
        .username("alice")
        .password(utf8("wonderland"))
        .applySimpleAuth()
        .send();
    good.publishWith().topic("t/a").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("from alice")).send();
    good.disconnect();
    assertThat(ingestor.stored().get(0).username()).isEqualTo("alice");

    assertThatThrownBy(
            () ->
                v5("bad")
                    .connectWith()
                    .simpleAuth()
                    .username("alice")
                    .password(utf8("wrong"))
                    .applySimpleAuth()
                    .send())
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    assertThatThrownBy(() -> v5("anon").connect())
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    assertThatThrownBy(
            () ->
                v3("bad3")
                    .connectWith()
                    .simpleAuth()
                    .username("bob")
                    .password(utf8("wrong"))
                    .applySimpleAuth()
                    .send())
        .isInstanceOfSatisfying(
            Mqtt3ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
    assertThatThrownBy(() -> v3("anon3").connect())
        .isInstanceOfSatisfying(
            Mqtt3ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    assertThat(server.count(Event.CONNECT_REFUSED_CREDENTIALS)).isEqualTo(2);
    assertThat(server.count(Event.CONNECT_REFUSED_NOT_AUTHORIZED)).isEqualTo(2);
  }

  /** An MQTT 5 client connecting from {@code localAddress} (any 127.x.y.z works on loopback). */
  private Mqtt5BlockingClient v5From(String id, String localAddress) {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(id)
        .transportConfig()
        .serverHost("127.0.0.1")
        .serverPort(server.port())
        .localAddress(localAddress)
        .applyTransportConfig()
        .buildBlocking();
  }

  private static Mqtt5ConnAckReasonCode connectAs(
      Mqtt5BlockingClient client, String username, String password) {
    try {
      Mqtt5ConnAck ack =
          client
              .connectWith()
              .simpleAuth()
              .username(username)
              .password(utf8(password))
              .applySimpleAuth()
              .send();
      client.disconnect();
      return ack.getReasonCode();
    } catch (Mqtt5ConnAckException e) {
      return e.getMqttMessage().getReasonCode();
    }
  }

  @Test
  void an_address_with_too_many_failed_logins_is_refused_and_other_addresses_are_not()
      throws Exception {
    server = TestListener.start(MqttListenerSettings.forTests(), users(false, null), ingestor);
    for (int i = 0; i < 30; i++) {
      assertThat(connectAs(v5From("ok-" + i, "127.0.0.3"), "bob", "builder"))
          .as("successful logins never count")
          .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
    // the default allows a burst of 10 failures per address
    for (int i = 0; i < 10; i++) {
      assertThat(connectAs(v5From("guess-" + i, "127.0.0.2"), "alice", "guess-" + i))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
    assertThat(connectAs(v5From("guess-right", "127.0.0.2"), "alice", "wonderland"))
        .as("refused before its password is checked")
        .isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
    assertThatThrownBy(
            () ->
                MqttClient.builder()
                    .useMqttVersion3()
                    .identifier("guess-v3")
                    .transportConfig()
                    .serverHost("127.0.0.1")
                    .serverPort(server.port())
                    .localAddress("127.0.0.2")
                    .applyTransportConfig()
                    .buildBlocking()
                    .connectWith()
                    .simpleAuth()
                    .username("alice")
                    .password(utf8("wonderland"))
                    .applySimpleAuth()
                    .send())
        .isInstanceOfSatisfying(
            Mqtt3ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    assertThat(connectAs(v5From("elsewhere", "127.0.0.3"), "alice", "wonderland"))
        .as("another address is unaffected")
        .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    assertThat(server.stats().snapshot())
        .containsEntry("connect.refused.credentials", 10L)
        .containsEntry("connect.refused.login.throttled", 2L);
  }

  @Test
  void acl_denies_publishes_with_0x87_for_mqtt5_and_drops_them_for_mqtt3() throws Exception {
    server =
        TestListener.start(
            MqttListenerSettings.forTests(),
            users(false, "user alice\ntopic write alice/#\nuser bob\ntopic write bob/#\n"),
            ingestor);
    Mqtt5BlockingClient alice = v5("alice-dev");
    alice
        .connectWith()
        .simpleAuth()
        .username("alice")
        .password(utf8("wonderland"))
        .applySimpleAuth()
        .send();
    alice.publishWith().topic("alice/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("allowed")).send();
    assertThat(reasonOf(alice, "bob/t", MqttQos.AT_LEAST_ONCE)).isEqualTo(0x87);
    alice.disconnect();

    Mqtt3BlockingClient bob = v3("bob-dev");
    bob.connectWith()
        .simpleAuth()
        .username("bob")
        .password(utf8("builder"))
        .applySimpleAuth()
        .send();
    bob.publishWith().topic("alice/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("denied")).send();
    bob.publishWith().topic("bob/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("bob ok")).send();
    bob.disconnect();
    assertThat(ingestor.storedPayloads()).containsExactly("allowed", "bob ok");
    assertThat(server.count(Event.PUBLISH_DENIED)).isEqualTo(2);
  }

  @Test
  void an_anonymous_client_that_claims_a_username_gets_neither_its_acl_patterns_nor_its_name()
      throws Exception {
    server =
        TestListener.start(
            MqttListenerSettings.forTests(),
            users(
                true,
                "topic write public/#\npattern write users/%u/#\npattern write devices/%c/#\n"),
            ingestor);
    Mqtt5BlockingClient claimant = v5("dev7");
    claimant.connectWith().simpleAuth().username("alice").applySimpleAuth().send();
    assertThat(reasonOf(claimant, "users/alice/t", MqttQos.AT_LEAST_ONCE))
        .as("%u is only ever a verified username")
        .isEqualTo(0x87);
    assertThat(reasonOf(claimant, "devices/dev7/t", MqttQos.AT_LEAST_ONCE))
        .as("a client id proves nothing about an anonymous client")
        .isEqualTo(0x87);
    assertThat(reasonOf(claimant, "public/t", MqttQos.AT_LEAST_ONCE)).isZero();
    claimant.disconnect();

    Mqtt3BlockingClient claimant3 = v3("dev8");
    claimant3.connectWith().simpleAuth().username("alice").applySimpleAuth().send();
    claimant3.publishWith().topic("users/alice/t").qos(MqttQos.AT_LEAST_ONCE).send();
    claimant3.publishWith().topic("public/t3").qos(MqttQos.AT_LEAST_ONCE).send();
    claimant3.disconnect();

    Mqtt5BlockingClient alice = v5("alice-1");
    alice
        .connectWith()
        .simpleAuth()
        .username("alice")
        .password(utf8("wonderland"))
        .applySimpleAuth()
        .send();
    assertThat(reasonOf(alice, "users/alice/t", MqttQos.AT_LEAST_ONCE)).isZero();
    assertThat(reasonOf(alice, "devices/alice-1/t", MqttQos.AT_LEAST_ONCE)).isZero();
    assertThat(reasonOf(alice, "users/bob/t", MqttQos.AT_LEAST_ONCE)).isEqualTo(0x87);
    alice.disconnect();

    assertThat(ingestor.stored())
        .extracting(InboundMessage::topic, InboundMessage::username)
        .containsExactly(
            tuple("public/t", null),
            tuple("public/t3", null),
            tuple("users/alice/t", "alice"),
            tuple("devices/alice-1/t", "alice"));
    assertThat(server.count(Event.PUBLISH_DENIED)).isEqualTo(4);
  }

  @Test
  void a_will_topic_the_acl_denies_refuses_the_connect() throws Exception {
    server =
        TestListener.start(
            MqttListenerSettings.forTests(),
            users(false, "user alice\ntopic write alice/#\n"),
            ingestor);
    assertThatThrownBy(
            () ->
                v5("alice-will")
                    .connectWith()
                    .simpleAuth()
                    .username("alice")
                    .password(utf8("wonderland"))
                    .applySimpleAuth()
                    .willPublish()
                    .topic("elsewhere/will")
                    .payload(utf8("bye"))
                    .applyWillPublish()
                    .send())
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
  }

  @Test
  void websocket_clients_publish_at_path_mqtt() {
    server =
        TestListener.start(
            MqttListenerSettings.forTests()
                .withEndpoints(null, null, new Endpoint(0, false, "ws-port")),
            TestListener.anonymous(),
            ingestor);
    int wsPort = server.listener().webSocketPort();
    assertThat(server.port()).isEqualTo(-1);
    Mqtt5BlockingClient v5 =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("ws5")
            .serverHost("127.0.0.1")
            .serverPort(wsPort)
            .webSocketConfig()
            .serverPath("mqtt")
            .applyWebSocketConfig()
            .buildBlocking();
    v5.connect();
    for (MqttQos qos : MqttQos.values()) {
      v5.publishWith().topic("ws/t").qos(qos).payload(utf8("ws5-" + qos.getCode())).send();
    }
    v5.disconnect();
    Mqtt3BlockingClient v3 =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier("ws3")
            .serverHost("127.0.0.1")
            .serverPort(wsPort)
            .webSocketConfig()
            .serverPath("mqtt")
            .applyWebSocketConfig()
            .buildBlocking();
    v3.connect();
    v3.publishWith().topic("ws/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("ws3-1")).send();
    v3.disconnect();
    Await.until(() -> ingestor.stored().size() == 4, "four websocket publishes stored");
    assertThat(ingestor.storedPayloads())
        .containsExactlyInAnyOrder("ws5-0", "ws5-1", "ws5-2", "ws3-1");
  }

  @Test
  void many_clients_publish_concurrently_and_each_message_is_acked_once_stored() throws Exception {
    server = TestListener.start(ingestor);
    int clients = 10;
    int each = 50;
    List<Thread> threads = new java.util.ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int n = c;
      Thread thread =
          new Thread(
              () -> {
                Mqtt5BlockingClient client = v5("load-" + n);
                client.connect();
                for (int i = 0; i < each; i++) {
                  client
                      .publishWith()
                      .topic("load/" + n)
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload(utf8(n + ":" + i))
                      .send();
                }
                client.disconnect();
              },
              "load-" + n);
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(ingestor.stored()).hasSize(clients * each);
  }
}
