package io.inlet.bridge.listener;

import static io.inlet.bridge.listener.RawMqttClient.describe;
import static io.inlet.bridge.listener.RawMqttClient.pubRel;
import static io.inlet.bridge.listener.RawMqttClient.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.bridge.listener.ListenerStats.Event;
import io.inlet.testing.Await;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener at the packet level: what a client sends, byte for byte, and what it gets back. */
class MqttProtocolIT {
  private static final Duration QUIET = Duration.ofMillis(300);

  private final TestIngestor ingestor = new TestIngestor();
  private TestListener server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestListener start(MqttListenerSettings settings) {
    server = TestListener.start(settings, TestListener.anonymous(), ingestor);
    return server;
  }

  private static MqttProperties sessionExpiry(int seconds) {
    MqttProperties p = new MqttProperties();
    p.add(new IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, seconds));
    return p;
  }

  private static MqttProperties alias(int alias) {
    MqttProperties p = new MqttProperties();
    p.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
    return p;
  }

  @Test
  void pubacks_leave_in_publish_order_whatever_order_the_store_completes_in() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "order", true, null)) {
      for (int id = 1; id <= 3; id++) {
        c.send(publish("held/t", 1, id, false, "m" + id, null));
      }
      Await.until(() -> ingestor.heldCount() == 3, "three ingests pending");
      ingestor.releaseHeld(2); // m3 durable first
      assertThat(c.poll(QUIET)).as("no PUBACK before m1 is durable").isNull();
      ingestor.releaseHeld(0); // m1
      assertThat(describe(c.next())).isEqualTo("PUBACK 1 0x00");
      assertThat(c.poll(QUIET)).as("m2 still pending").isNull();
      ingestor.releaseHeld(0); // m2
      assertThat(describe(c.next())).isEqualTo("PUBACK 2 0x00");
      assertThat(describe(c.next())).isEqualTo("PUBACK 3 0x00");
    }
  }

  @Test
  void qos2_retransmission_after_reconnect_is_stored_once_mqtt5() throws Exception {
    start(MqttListenerSettings.forTests());
    qos2RetransmissionIsStoredOnce(MqttVersion.MQTT_5, sessionExpiry(300));
  }

  @Test
  void qos2_retransmission_after_reconnect_is_stored_once_mqtt311() throws Exception {
    start(MqttListenerSettings.forTests());
    qos2RetransmissionIsStoredOnce(MqttVersion.MQTT_3_1_1, null);
  }

  private void qos2RetransmissionIsStoredOnce(MqttVersion version, MqttProperties props)
      throws Exception {
    RawMqttClient first = RawMqttClient.connect(server.port(), version, "q2", false, props);
    assertThat(first.connAck().variableHeader().isSessionPresent()).isFalse();
    first.send(publish("t/q2", 2, 7, false, "exactly-once", null));
    assertThat(describe(first.next())).isEqualTo("PUBREC 7 0x00");
    first.close(); // lost before PUBREL

    try (RawMqttClient second = RawMqttClient.connect(server.port(), version, "q2", false, props)) {
      assertThat(second.connAck().variableHeader().isSessionPresent()).isTrue();
      second.send(publish("t/q2", 2, 7, true, "exactly-once", null)); // DUP
      assertThat(describe(second.next())).isEqualTo("PUBREC 7 0x00");
      second.send(pubRel(7));
      assertThat(describe(second.next())).isEqualTo("PUBCOMP 7 0x00");
      // the id is free again: a new message with it is stored
      second.send(publish("t/q2", 2, 7, false, "next", null));
      assertThat(describe(second.next())).isEqualTo("PUBREC 7 0x00");
    }
    assertThat(ingestor.storedCount("exactly-once")).isEqualTo(1);
    assertThat(ingestor.storedCount("next")).isEqualTo(1);
    assertThat(server.count(Event.QOS2_DUPLICATE)).isEqualTo(1);
  }

  @Test
  void qos2_retransmitted_while_its_first_ingest_is_pending_is_stored_once() throws Exception {
    start(MqttListenerSettings.forTests());
    RawMqttClient first =
        RawMqttClient.connect(
            server.port(), MqttVersion.MQTT_5, "pending", false, sessionExpiry(60));
    first.send(publish("held/q2", 2, 9, false, "slow", null));
    Await.until(() -> ingestor.heldCount() == 1, "ingest pending");
    first.close();
    try (RawMqttClient second =
        RawMqttClient.connect(
            server.port(), MqttVersion.MQTT_5, "pending", false, sessionExpiry(60))) {
      second.send(publish("held/q2", 2, 9, true, "slow", null));
      assertThat(second.poll(QUIET)).isNull();
      ingestor.releaseAllHeld();
      assertThat(describe(second.next())).isEqualTo("PUBREC 9 0x00");
    }
    assertThat(ingestor.storedCount("slow")).isEqualTo(1);
  }

  @Test
  void clean_start_forgets_the_qos2_state() throws Exception {
    start(MqttListenerSettings.forTests());
    RawMqttClient first =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "clean", true, null);
    first.send(publish("t/c", 2, 3, false, "a", null));
    assertThat(describe(first.next())).isEqualTo("PUBREC 3 0x00");
    first.close();
    try (RawMqttClient second =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "clean", true, null)) {
      assertThat(second.connAck().variableHeader().isSessionPresent()).isFalse();
      second.send(publish("t/c", 2, 3, false, "a", null));
      assertThat(describe(second.next())).isEqualTo("PUBREC 3 0x00");
    }
    assertThat(ingestor.storedCount("a")).isEqualTo(2);
  }

  @Test
  void mqtt5_reason_codes_say_what_became_of_each_publish() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "codes", true, null)) {
      c.send(publish("ok/a", 1, 1, false, "x", null));
      c.send(publish("unmatched/a", 1, 2, false, "x", null));
      c.send(publish("rejected/a", 1, 3, false, "x", null));
      c.send(publish("fail/a", 1, 4, false, "x", null));
      c.send(publish("unmatched/b", 2, 5, false, "x", null));
      c.send(publish("rejected/b", 2, 6, false, "x", null));
      assertThat(describe(c.next())).isEqualTo("PUBACK 1 0x00");
      assertThat(describe(c.next())).isEqualTo("PUBACK 2 0x10");
      assertThat(describe(c.next())).isEqualTo("PUBACK 3 0x99");
      assertThat(describe(c.next())).isEqualTo("PUBACK 4 0x97");
      assertThat(describe(c.next())).isEqualTo("PUBREC 5 0x10");
      assertThat(describe(c.next())).isEqualTo("PUBREC 6 0x99");
      c.send(pubRel(5));
      assertThat(describe(c.next())).isEqualTo("PUBCOMP 5 0x00");
      c.send(pubRel(6)); // flow already ended by the error code: unknown id
      assertThat(describe(c.next())).isEqualTo("PUBCOMP 6 0x92");
    }
    assertThat(server.count(Event.PUBLISH_UNMATCHED)).isEqualTo(2);
    assertThat(server.count(Event.PUBLISH_REJECTED)).isEqualTo(2);
    assertThat(server.count(Event.PUBLISH_FAILED)).isEqualTo(1);
  }

  @Test
  void mqtt3_unmatched_publish_is_dropped_or_disconnects_as_configured() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "drop", true, null)) {
      c.send(publish("unmatched/a", 1, 1, false, "x", null));
      assertThat(describe(c.next())).isEqualTo("PUBACK 1 0x00");
    }
    server.close();
    start(
        MqttListenerSettings.forTests()
            .withPolicies(RefusedPublishPolicy.DISCONNECT, RefusedPublishPolicy.DISCONNECT));
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "disc", true, null)) {
      c.send(publish("unmatched/a", 1, 1, false, "x", null));
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
      assertThat(c.poll(Duration.ZERO)).isNull();
    }
  }

  @Test
  void mqtt3_store_failure_closes_the_connection_without_puback() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "fail", true, null)) {
      c.send(publish("fail/a", 1, 1, false, "x", null));
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
      assertThat(c.poll(Duration.ZERO)).isNull();
    }
  }

  @Test
  void exceeding_receive_maximum_disconnects_with_0x93() throws Exception {
    start(MqttListenerSettings.forTests().withLimits(1 << 20, 2, 10, 65535));
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "rm", true, null)) {
      assertThat(
              c.connAck()
                  .variableHeader()
                  .properties()
                  .getProperty(MqttProperties.RECEIVE_MAXIMUM)
                  .value())
          .isEqualTo(2);
      for (int id = 1; id <= 3; id++) {
        c.send(publish("held/rm", 1, id, false, "m" + id, null));
      }
      assertThat(describe(c.next())).isEqualTo("DISCONNECT 0x93");
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void oversized_packet_disconnects_with_0x95_and_other_connections_go_on() throws Exception {
    start(MqttListenerSettings.forTests().withLimits(1024, 32, 10, 65535));
    try (RawMqttClient bystander =
            RawMqttClient.connect(server.port(), MqttVersion.MQTT_3_1_1, "ok", true, null);
        RawMqttClient c =
            RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "big", true, null)) {
      assertThat(
              c.connAck()
                  .variableHeader()
                  .properties()
                  .getProperty(MqttProperties.MAXIMUM_PACKET_SIZE)
                  .value())
          .isEqualTo(1024);
      c.send(publish("t/big", 1, 1, false, "x".repeat(2000), null));
      assertThat(describe(c.next())).isEqualTo("DISCONNECT 0x95");
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
      bystander.send(publish("t/small", 1, 1, false, "fine", null));
      assertThat(describe(bystander.next())).isEqualTo("PUBACK 1 0x00");
    }
    assertThat(server.count(Event.OVERSIZED_PACKET)).isEqualTo(1);
  }

  @Test
  void topic_aliases_resolve_and_invalid_ones_disconnect() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "alias", true, null)) {
      c.send(publish("t/aliased", 1, 1, false, "first", alias(3)));
      c.send(publish("", 1, 2, false, "second", alias(3)));
      assertThat(describe(c.next())).isEqualTo("PUBACK 1 0x00");
      assertThat(describe(c.next())).isEqualTo("PUBACK 2 0x00");
      assertThat(ingestor.stored().get(1).topic()).isEqualTo("t/aliased");
      c.send(publish("t/x", 1, 3, false, "third", alias(11))); // maximum is 10
      assertThat(describe(c.next())).isEqualTo("DISCONNECT 0x94");
    }
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "alias2", true, null)) {
      c.send(publish("", 1, 1, false, "unknown alias", alias(4)));
      assertThat(describe(c.next())).isEqualTo("DISCONNECT 0x82");
    }
  }

  @Test
  void malformed_packet_disconnects_with_0x81() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "bad", true, null)) {
      c.sendBytes(new byte[] {0x36, 0x03, 0x00, 0x01, 0x61}); // PUBLISH with QoS 3
      assertThat(describe(c.next())).isEqualTo("DISCONNECT 0x81");
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(server.count(Event.MALFORMED_PACKET)).isEqualTo(1);
  }

  /** A CONNECT frame: fixed header 0x10, the remaining length (one byte) computed from the hex. */
  private static byte[] connectFrame(String hex) {
    byte[] body = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    byte[] frame = new byte[body.length + 2];
    frame[0] = 0x10;
    frame[1] = (byte) body.length;
    System.arraycopy(body, 0, frame, 2, body.length);
    return frame;
  }

  /** The connect timeout far away, so that only an answer can close a connection in a test. */
  private static MqttListenerSettings patient() {
    return MqttListenerSettings.forTests().withConnectTimeout(Duration.ofMinutes(10));
  }

  @Test
  void truncated_mqtt5_connect_property_gets_connack_0x81_and_is_closed_at_once() throws Exception {
    start(patient());
    try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_5)) {
      // MQTT 5, clean start, keep-alive 60; properties: length 5, Session Expiry Interval with two
      // of its four bytes; client id "x". The remaining length covers exactly what is sent.
      c.sendBytes(connectFrame("0004 4d515454 05 02 003c 05 11 0000 0001 78"));
      assertThat(describe(c.next())).isEqualTo("CONNACK 0x81");
      assertThat(c.awaitClosed(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(server.count(Event.MALFORMED_PACKET)).isEqualTo(1);
  }

  @Test
  void mqtt5_connect_whose_fields_overrun_the_packet_gets_connack_0x81() throws Exception {
    start(patient());
    String[] overruns = {
      "0004 4d515454 05 02 003c 7f 0001 78", // property length beyond the packet
      "0004 4d515454 05 02 003c 00 0005 78", // client id longer than the packet
      "0004 4d515454 05 82 003c 00 0001 78", // username flag, no username
      "0004 4d515454 05 06 003c 00 0001 78 03 18 00", // will properties cut short
    };
    for (String connect : overruns) {
      try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_5)) {
        c.sendBytes(connectFrame(connect));
        assertThat(describe(c.next())).as(connect).isEqualTo("CONNACK 0x81");
        assertThat(c.awaitClosed(Duration.ofSeconds(30))).as(connect).isTrue();
      }
    }
  }

  @Test
  void mqtt311_connect_whose_fields_overrun_the_packet_is_closed_at_once() throws Exception {
    start(patient());
    String[] overruns = {
      "0004 4d515454 04 82 003c 0001 78", // username flag, no username
      "0004 4d515454 04 02 003c 0005 78", // client id longer than the packet
    };
    for (String connect : overruns) {
      try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_3_1_1)) {
        c.sendBytes(connectFrame(connect));
        assertThat(c.awaitClosed(Duration.ofSeconds(30))).as(connect).isTrue();
        assertThat(c.poll(Duration.ZERO)).as("MQTT 3.1.1 closes without CONNACK").isNull();
      }
    }
  }

  @Test
  void mqtt5_connect_properties_the_spec_forbids_are_refused_with_their_reason_code()
      throws Exception {
    start(patient());
    String[][] cases = {
      {"0004 4d515454 05 02 003c 03 21 0000 0001 78", "CONNACK 0x82"}, // Receive Maximum 0
      {"0004 4d515454 05 02 003c 05 27 00000000 0001 78", "CONNACK 0x82"}, // Max Packet Size 0
      {"0004 4d515454 05 02 003c 02 17 02 0001 78", "CONNACK 0x82"}, // Request Problem Info 2
      {"0004 4d515454 05 02 003c 02 19 07 0001 78", "CONNACK 0x82"}, // Request Response Info 7
      {"0004 4d515454 05 02 003c 04 16 0001 61 0001 78", "CONNACK 0x82"}, // auth data, no method
      {"0004 4d515454 05 02 003c 03 23 0001 0001 78", "CONNACK 0x81"}, // Topic Alias: not CONNECT's
      {"0004 4d515454 05 02 003c 02 01 01 0001 78", "CONNACK 0x81"}, // Payload Format: a will's
      {
        // will with a Session Expiry Interval among its properties: not a will property
        "0004 4d515454 05 06 003c 00 0001 78 05 11 00000001 0001 77 0000", "CONNACK 0x81"
      },
    };
    for (String[] c : cases) {
      try (RawMqttClient client = RawMqttClient.open(server.port(), MqttVersion.MQTT_5)) {
        client.sendBytes(connectFrame(c[0]));
        assertThat(describe(client.next())).as(c[0]).isEqualTo(c[1]);
        assertThat(client.awaitClosed(Duration.ofSeconds(30))).as(c[0]).isTrue();
      }
    }
    assertThat(ingestor.stored()).isEmpty();
  }

  @Test
  void first_packet_must_be_connect() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_3_1_1)) {
      c.send(publish("t/a", 0, 0, false, "x", null));
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(ingestor.stored()).isEmpty();
  }

  @Test
  void unknown_protocol_level_gets_connack_0x01() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_3_1_1)) {
      // CONNECT, protocol name MQTT, level 9, clean session, keep-alive 60, client id "x"
      c.sendBytes(
          new byte[] {
            0x10, 0x0d, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x09, 0x02, 0x00, 0x3c, 0x00, 0x01, 'x'
          });
      assertThat(describe(c.next())).isEqualTo("CONNACK 0x01");
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void empty_client_id_gets_an_assigned_one_in_mqtt5() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c =
        RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "", true, null)) {
      Object assigned =
          c.connAck()
              .variableHeader()
              .properties()
              .getProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER)
              .value();
      assertThat((String) assigned).startsWith("inlet-");
      c.send(publish("t/id", 1, 1, false, "x", null));
      c.next();
      assertThat(ingestor.stored().get(0).clientId()).isEqualTo(assigned);
    }
    try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_3_1_1)) {
      MqttMessage answer = c.handshake(c.connectMessage("", false, null));
      assertThat(describe(answer)).isEqualTo("CONNACK 0x02");
    }
  }

  @Test
  void subscribe_is_refused_with_failure_codes() throws Exception {
    start(MqttListenerSettings.forTests());
    for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
      try (RawMqttClient c = RawMqttClient.connect(server.port(), version, "sub", true, null)) {
        c.send(
            MqttMessageBuilders.subscribe()
                .messageId(4)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/#")
                .addSubscription(MqttQoS.AT_MOST_ONCE, "b")
                .build());
        MqttMessage ack = c.next();
        assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
        assertThat(((io.netty.handler.codec.mqtt.MqttSubAckMessage) ack).payload().reasonCodes())
            .containsExactly(
                version == MqttVersion.MQTT_5 ? 0x83 : 0x80,
                version == MqttVersion.MQTT_5 ? 0x83 : 0x80);
        c.send(MqttMessageBuilders.unsubscribe().messageId(5).addTopicFilter("a/#").build());
        assertThat(c.next().fixedHeader().messageType()).isEqualTo(MqttMessageType.UNSUBACK);
      }
    }
  }

  @Test
  void a_second_connection_with_the_same_client_id_takes_the_session_over() throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient first =
            RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "same", true, null);
        RawMqttClient second =
            RawMqttClient.connect(server.port(), MqttVersion.MQTT_5, "same", true, null)) {
      assertThat(describe(first.next())).isEqualTo("DISCONNECT 0x8E");
      assertThat(first.awaitClosed(Duration.ofSeconds(5))).isTrue();
      second.send(publish("t/x", 1, 1, false, "x", null));
      assertThat(describe(second.next())).isEqualTo("PUBACK 1 0x00");
    }
    assertThat(server.count(Event.SESSION_TAKEOVER)).isEqualTo(1);
  }

  @Test
  void silent_client_is_disconnected_after_one_and_a_half_keep_alives_and_its_will_fires()
      throws Exception {
    start(MqttListenerSettings.forTests());
    try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_5)) {
      MqttMessage answer =
          c.handshake(
              c.connectBuilder("sleepy", true, null)
                  .keepAlive(1)
                  .willFlag(true)
                  .willTopic("wills/sleepy")
                  .willMessage("gone".getBytes())
                  .willQoS(MqttQoS.AT_LEAST_ONCE)
                  .build());
      assertThat(describe(answer)).isEqualTo("CONNACK 0x00");
      assertThat(describe(c.next(Duration.ofSeconds(5)))).isEqualTo("DISCONNECT 0x8D");
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
    Await.until(() -> ingestor.storedCount("gone") == 1, "will stored");
    assertThat(ingestor.stored().get(0).topic()).isEqualTo("wills/sleepy");
  }

  @Test
  void will_fires_on_abrupt_close_and_not_on_disconnect() throws Exception {
    start(MqttListenerSettings.forTests());
    for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
      RawMqttClient polite = RawMqttClient.open(server.port(), version);
      polite.handshake(will(polite, "polite-" + version, "wills/polite", "polite-bye", 0));
      polite.send(RawMqttClient.disconnect(0));
      assertThat(polite.awaitClosed(Duration.ofSeconds(5))).isTrue();

      RawMqttClient crash = RawMqttClient.open(server.port(), version);
      crash.handshake(will(crash, "crash-" + version, "wills/crash", "crash-bye-" + version, 0));
      crash.close();
      Await.until(
          () -> ingestor.storedCount("crash-bye-" + version) == 1, "will of the crashed client");
    }
    Await.until(() -> server.stats().connections() == 0, "connections closed");
    assertThat(ingestor.storedCount("polite-bye")).isZero();
  }

  @Test
  void will_of_an_anonymous_client_is_stored_without_the_username_it_claimed() throws Exception {
    start(MqttListenerSettings.forTests());
    RawMqttClient crash = RawMqttClient.open(server.port(), MqttVersion.MQTT_5);
    MqttConnectMessage connect =
        crash
            .connectBuilder("claims-alice", true, null)
            .username("alice")
            .willFlag(true)
            .willTopic("wills/claimed")
            .willMessage("claimed-bye".getBytes())
            .willQoS(MqttQoS.AT_LEAST_ONCE)
            .build();
    assertThat(describe(crash.handshake(connect))).isEqualTo("CONNACK 0x00");
    crash.close();
    Await.until(() -> ingestor.storedCount("claimed-bye") == 1, "will stored");
    assertThat(ingestor.stored().get(0).username()).isNull();
  }

  @Test
  void delayed_will_is_not_sent_when_the_client_comes_back_in_time() throws Exception {
    start(MqttListenerSettings.forTests());
    RawMqttClient first = RawMqttClient.open(server.port(), MqttVersion.MQTT_5);
    first.handshake(will(first, "back", "wills/back", "back-bye", 60));
    first.close();
    RawMqttClient delayed = RawMqttClient.open(server.port(), MqttVersion.MQTT_5);
    delayed.handshake(will(delayed, "late", "wills/late", "late-bye", 1));
    delayed.close();
    try (RawMqttClient again =
        RawMqttClient.connect(
            server.port(), MqttVersion.MQTT_5, "back", false, sessionExpiry(300))) {
      assertThat(again.connAck().variableHeader().isSessionPresent()).isTrue();
    }
    Await.until(() -> ingestor.storedCount("late-bye") == 1, "delayed will after 1 s");
    assertThat(ingestor.storedCount("back-bye")).isZero();
  }

  private static io.netty.handler.codec.mqtt.MqttConnectMessage will(
      RawMqttClient client, String clientId, String topic, String payload, int delaySeconds) {
    MqttProperties willProps = new MqttProperties();
    if (delaySeconds > 0) {
      willProps.add(new IntegerProperty(MqttProperties.WILL_DELAY_INTERVAL, delaySeconds));
    }
    return client
        .connectBuilder(clientId, false, sessionExpiry(300))
        .willFlag(true)
        .willTopic(topic)
        .willMessage(payload.getBytes())
        .willQoS(MqttQoS.AT_LEAST_ONCE)
        .willProperties(willProps)
        .build();
  }

  @Test
  void connack_of_mqtt5_advertises_the_limits_and_the_capped_keep_alive_and_expiry()
      throws Exception {
    start(MqttListenerSettings.forTests().withLimits(1 << 20, 32, 10, 30));
    try (RawMqttClient c = RawMqttClient.open(server.port(), MqttVersion.MQTT_5)) {
      MqttMessage answer =
          c.handshake(
              c.connectBuilder("limits", false, sessionExpiry(1_000_000)).keepAlive(0).build());
      MqttProperties p = ((MqttConnAckMessage) answer).variableHeader().properties();
      assertThat(p.getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM).value()).isEqualTo(10);
      assertThat(p.getProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE).value())
          .isEqualTo(0);
      assertThat(p.getProperty(MqttProperties.SERVER_KEEP_ALIVE).value()).isEqualTo(30);
      assertThat(p.getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL).value()).isEqualTo(7200);
    }
  }
}
