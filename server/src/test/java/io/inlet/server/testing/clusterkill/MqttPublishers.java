package io.inlet.server.testing.clusterkill;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.inlet.testing.history.AppendAttempt;
import io.inlet.testing.history.OperationHistory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT 5 QoS 1 publishers (HiveMQ's client), one message at a time, each payload its payload id, on
 * topic {@code drill/<client id>}: the built-in catch-all rule stores it in stream {@code mqtt}
 * with the client id as key, so each publisher's messages go to one shard. A publisher starts on
 * its home node; when its connection fails (the node was killed) the message in flight is unknown
 * and it reconnects to the next node, as a device that loses its node does.
 */
final class MqttPublishers {
  static final String STREAM = "mqtt";
  private static final long CONNECT_SECONDS = 5;
  private static final long PUBACK_SECONDS = 10;

  private final LocalCluster cluster;
  private final OperationHistory history;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final LoadThreads threads = new LoadThreads();

  MqttPublishers(LocalCluster cluster, OperationHistory history) {
    this.cluster = cluster;
    this.history = history;
  }

  void start(int perNode) {
    int k = 0;
    for (int node = 0; node < cluster.size(); node++) {
      for (int c = 0; c < perNode; c++) {
        String client = "mqtt-p" + k++;
        int home = node;
        threads.start(client, () -> run(client, home));
      }
    }
  }

  private void run(String client, int home) {
    int node = home;
    long seq = 0;
    while (!threads.stopping()) {
      Mqtt5AsyncClient mqtt = connect(client, node);
      if (mqtt == null) {
        node = (node + 1) % cluster.size();
        threads.pause(200);
        continue;
      }
      try {
        while (!threads.stopping() && publish(mqtt, client, client + "-" + seq++)) {
          // the next message on the same connection
        }
      } finally {
        disconnectQuietly(mqtt);
      }
      if (!threads.stopping()) {
        reconnects.incrementAndGet();
        node = (node + 1) % cluster.size();
        threads.pause(100);
      }
    }
  }

  private Mqtt5AsyncClient connect(String client, int node) {
    Mqtt5AsyncClient mqtt =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(client)
            .serverHost("127.0.0.1")
            .serverPort(cluster.mqttPort(node))
            .buildAsync();
    try {
      mqtt.connectWith().cleanStart(true).send().get(CONNECT_SECONDS, TimeUnit.SECONDS);
      return mqtt;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      disconnectQuietly(mqtt);
      return null;
    }
  }

  /** Publishes one message and records it; false when the connection failed. */
  private boolean publish(Mqtt5AsyncClient mqtt, String client, String payloadId) {
    OperationHistory.Pending attempt =
        history.begin(client, STREAM, AppendAttempt.SHARD_CHOSEN_BY_SERVER, List.of(payloadId));
    try {
      Mqtt5PublishResult result =
          mqtt.publishWith()
              .topic("drill/" + client)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(payloadId.getBytes(StandardCharsets.UTF_8))
              .send()
              .get(PUBACK_SECONDS, TimeUnit.SECONDS);
      if (result instanceof Mqtt5Qos1Result one && one.getPubAck().getReasonCode().isError()) {
        // The node's append failed (QUOTA_EXCEEDED: the shard is unavailable); whether it stored
        // the message is not known. The connection is fine: go on after a pause.
        attempt.unknown("PUBACK " + one.getPubAck().getReasonCode());
        threads.pause(100);
        return true;
      }
      if (result.getError().isPresent()) {
        attempt.unknown(result.getError().get().toString());
        return false;
      }
      attempt.ok(List.of());
      acknowledged.incrementAndGet();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        // As above: the client reports an error PUBACK by failing the publish.
        attempt.unknown("PUBACK " + refused.getMqttMessage().getReasonCode());
        threads.pause(100);
        return true;
      }
      attempt.unknown(e.getCause().toString());
      return false;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      attempt.unknown(e.toString());
      return false;
    }
  }

  private static void disconnectQuietly(Mqtt5AsyncClient mqtt) {
    try {
      mqtt.disconnect().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // already gone
    }
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long reconnects() {
    return reconnects.get();
  }

  void stop() throws InterruptedException {
    threads.stop();
  }
}
