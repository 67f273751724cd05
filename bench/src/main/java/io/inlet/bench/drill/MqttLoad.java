package io.inlet.bench.drill;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos2Result;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MQTT publish load for accounting (HiveMQ's client): even clients publish QoS 1, odd ones QoS 2;
 * every other pair speaks MQTT 3.1.1, the rest MQTT 5. Each client publishes one message at a time
 * with a unique payload and records it in the {@link Ledger} once the flow completed successfully
 * (QoS 1: PUBACK; QoS 2: PUBREC and PUBCOMP; MQTT 5 reason codes below 0x80). A client ends at
 * {@link #stop} or when its connection fails.
 */
final class MqttLoad {
  private final String host;
  private final int port;
  private final Ledger ledger;
  private final Tally tally;
  private final String tag;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Workers workers = new Workers();

  MqttLoad(String host, int port, Ledger ledger, Tally tally, String tag) {
    this.host = host;
    this.port = port;
    this.ledger = ledger;
    this.tally = tally;
    this.tag = tag;
  }

  void start(int clients) {
    workers.start("drill-mqtt-" + tag, clients, this::run);
  }

  private void run(int client) {
    int qos = client % 2 == 0 ? 1 : 2;
    boolean mqtt5 = (client / 2) % 2 == 0;
    String id = "drill-" + tag + "-" + client;
    try {
      if (mqtt5) {
        publish5(id, client, qos);
      } else {
        publish3(id, client, qos);
      }
    } catch (RuntimeException e) {
      tally.add("mqtt_errors", 1); // connection refused or lost: the node is gone
    }
  }

  private void publish5(String id, int client, int qos) {
    Mqtt5BlockingClient mqtt =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost(host)
            .serverPort(port)
            .buildBlocking();
    mqtt.connect();
    try {
      for (long seq = 0; !stop.get(); seq++) {
        String payload = payload(client, qos, seq);
        tally.attempts.incrementAndGet();
        Mqtt5PublishResult result =
            mqtt.publishWith()
                .topic("drill/" + tag + "/" + client)
                .qos(MqttQos.fromCode(qos))
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
        boolean refused =
            result.getError().isPresent()
                || (result instanceof Mqtt5Qos1Result one
                    && one.getPubAck().getReasonCode().isError())
                || (result instanceof Mqtt5Qos2Result two
                    && two.getPubRec().getReasonCode().isError());
        if (refused) {
          tally.add("mqtt_refused", 1);
          return;
        }
        acknowledged(payload, qos);
      }
    } finally {
      disconnectQuietly(mqtt::disconnect);
    }
  }

  private void publish3(String id, int client, int qos) {
    Mqtt3BlockingClient mqtt =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(id)
            .serverHost(host)
            .serverPort(port)
            .buildBlocking();
    mqtt.connect();
    try {
      for (long seq = 0; !stop.get(); seq++) {
        String payload = payload(client, qos, seq);
        tally.attempts.incrementAndGet();
        mqtt.publishWith()
            .topic("drill/" + tag + "/" + client)
            .qos(MqttQos.fromCode(qos))
            .payload(payload.getBytes(StandardCharsets.UTF_8))
            .send(); // throws when the flow does not complete
        acknowledged(payload, qos);
      }
    } finally {
      disconnectQuietly(mqtt::disconnect);
    }
  }

  private String payload(int client, int qos, long seq) {
    return tag + "-m" + client + "-q" + qos + "-" + seq;
  }

  private void acknowledged(String payload, int qos) {
    ledger.published(payload, qos);
    tally.acknowledged.incrementAndGet();
  }

  private static void disconnectQuietly(Runnable disconnect) {
    try {
      disconnect.run();
    } catch (RuntimeException e) {
      // already disconnected
    }
  }

  /** Stops every client and waits for it. */
  void stop() {
    stop.set(true);
    workers.join();
  }
}
