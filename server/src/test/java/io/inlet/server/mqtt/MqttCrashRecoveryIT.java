package io.inlet.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.StreamContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a QoS 1 publish load from many MQTT clients loses nothing that was PUBACKed: after
 * a restart every acknowledged message is in its stream.
 */
class MqttCrashRecoveryIT {
  private static final int CLIENTS = 20;
  private static final String STREAM = "mqtt"; // the catch-all stream, until the rules land

  @TempDir Path dir;

  @Test
  void every_puback_survives_kill_9() throws Exception {
    Path data = dir.resolve("data");
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    try (InletProcess first = InletProcess.start(dir.resolve("run1"), data)) {
      first.awaitReady(Duration.ofSeconds(60));
      int port = first.mqttPort();
      assertThat(port).isPositive();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread publisher =
            new Thread(
                () -> {
                  try {
                    publishUntilFailure(port, client, stop, acked);
                  } finally {
                    done.countDown();
                  }
                },
                "publisher-" + c);
        publisher.setDaemon(true);
        publisher.start();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < 2000 && System.nanoTime() < deadline) {
        Thread.sleep(10); // polling a counter with a deadline
      }
      assertThat(acked.size()).as("PUBACKs before the kill").isGreaterThan(0);
      first.kill();
      stop.set(true);
      assertThat(done.await(60, TimeUnit.SECONDS)).as("publishers ended").isTrue();
    }

    try (InletProcess second = InletProcess.start(dir.resolve("run2"), data)) {
      second.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient grpc = new GrpcClient(second.grpcPort())) {
        Set<String> stored = new HashSet<>(StreamContents.payloads(grpc, STREAM));
        List<String> lost = new ArrayList<>();
        for (String payload : acked) {
          if (!stored.contains(payload)) {
            lost.add(payload);
          }
        }
        assertThat(lost)
            .as("PUBACKed messages missing after the crash (of %d)", acked.size())
            .isEmpty();
      }
      second.stop(Duration.ofSeconds(30));
    }
  }

  /** Publishes QoS 1 messages one after the other; each PUBACKed one is recorded. */
  private static void publishUntilFailure(
      int port, int client, AtomicBoolean stop, ConcurrentLinkedQueue<String> acked) {
    try {
      if (client % 2 == 0) {
        Mqtt5BlockingClient mqtt =
            MqttClient.builder()
                .useMqttVersion5()
                .identifier("crash-" + client)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        mqtt.connect();
        for (int seq = 0; !stop.get(); seq++) {
          String payload = "c" + client + "-" + seq;
          Mqtt5PublishResult result =
              mqtt.publishWith()
                  .topic("crash/" + client)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(payload.getBytes(StandardCharsets.UTF_8))
                  .send();
          if (result.getError().isPresent()
              || ((Mqtt5PublishResult.Mqtt5Qos1Result) result)
                  .getPubAck()
                  .getReasonCode()
                  .isError()) {
            return;
          }
          acked.add(payload);
        }
      } else {
        Mqtt3BlockingClient mqtt =
            MqttClient.builder()
                .useMqttVersion3()
                .identifier("crash-" + client)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        mqtt.connect();
        for (int seq = 0; !stop.get(); seq++) {
          String payload = "c" + client + "-" + seq;
          mqtt.publishWith()
              .topic("crash/" + client)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(payload.getBytes(StandardCharsets.UTF_8))
              .send();
          acked.add(payload);
        }
      }
    } catch (RuntimeException e) {
      // the server is gone
    }
  }
}
