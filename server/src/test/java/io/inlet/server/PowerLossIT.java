package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.AcknowledgedRecords;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.PowerLossFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut, not only a crash, loses nothing acknowledged. The node's data dir is on the
 * power-loss file system, which drops every write and directory change not yet fsync'd when the
 * power is cut; kill -9 alone cannot tell an fsync from none, since the page cache survives it.
 * Under Append and MQTT QoS 1 load the power is cut, the node killed, the file system remounted
 * from what was durable, and the node restarted: every acknowledged record is there. The same run
 * with {@code --unsafe-skip-fsync} must lose acknowledged records, which shows the test can fail.
 */
class PowerLossIT {
  private static final String STREAM = "power";
  private static final String MQTT_STREAM = "mqtt"; // the built-in catch-all rule's stream
  private static final int SHARDS = 2;
  private static final int APPENDERS = 6;
  private static final int PUBLISHERS = 4;

  @TempDir Path dir;

  @BeforeEach
  void prerequisites() {
    PowerLossFileSystem.requireAvailable();
  }

  @Test
  void every_acknowledged_record_survives_a_power_cut() throws Exception {
    assertNothingAcknowledgedLost(loadCutAndRestart());
    // A new data dir keeps its shards' entries in segments, written with O_DIRECT: the path a node
    // takes on a real disk.
    String log = Files.readString(dir.resolve("run1").resolve("inlet.log"));
    assertThat(log).contains("keeps its shards' entries in segments");
    assertThat(log).doesNotContain("written through the page cache");
  }

  @Test
  void every_acknowledged_record_survives_a_power_cut_with_shard_storage_rocksdb()
      throws Exception {
    assertNothingAcknowledgedLost(loadCutAndRestart("--shard-storage", "rocksdb"));
  }

  private static void assertNothingAcknowledgedLost(Outcome outcome) {
    assertThat(outcome.fsStats().path("fsyncs").asLong()).as("fsyncs seen").isPositive();
    assertThat(outcome.lost())
        .as(
            "acknowledged records missing after the power cut (of %d appended, %d published)",
            outcome.acked().appendedCount(), outcome.acked().publishedCount())
        .isEmpty();
  }

  @Test
  void with_unsafe_skip_fsync_a_power_cut_loses_acknowledged_records() throws Exception {
    Outcome outcome = loadCutAndRestart("--unsafe-skip-fsync");

    assertThat(outcome.cut().path("droppedBytes").asLong())
        .as("unsynced bytes dropped by the cut")
        .isPositive();
    assertThat(outcome.lost())
        .as(
            "acknowledged records lost without fsync, or the restart refused because of it (the"
                + " test can fail)")
        .isNotEmpty();
  }

  /** What a node says when its log holds less than it acknowledged before the cut. */
  private static final String STORE_DETECTED_LOSS = "recovery would lose acknowledged data";

  private record Outcome(
      AcknowledgedRecords acked, JsonNode fsStats, JsonNode cut, List<String> lost) {}

  private Outcome loadCutAndRestart(String... serverArgs) throws Exception {
    Path store = dir.resolve("fs-store");
    Path mount = dir.resolve("mnt");
    Path data = mount.resolve("data");
    AcknowledgedRecords acked = new AcknowledgedRecords();
    JsonNode stats;
    JsonNode cut;
    try (PowerLossFileSystem fs = PowerLossFileSystem.mount(store, mount, dir.resolve("fs.log"))) {
      // The node creates the data dir itself: it must fsync the mount's root, or the whole dir
      // vanishes at the cut.
      try (InletProcess node = InletProcess.start(dir.resolve("run1"), data, serverArgs)) {
        node.awaitReady(Duration.ofSeconds(120));
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(APPENDERS + PUBLISHERS);
        try (GrpcClient client = new GrpcClient(node.grpcPort())) {
          startLoad(client, node.mqttPort(), stop, done, acked);
          // Power off: the disk stops persisting first, the process dies a moment later.
          stats = fs.stats();
          cut = fs.cut();
          node.kill();
          stop.set(true);
          assertThat(done.await(60, TimeUnit.SECONDS)).as("load ended").isTrue();
        }
      }
      fs.unmount();
    }

    try (PowerLossFileSystem fs = PowerLossFileSystem.mount(store, mount, dir.resolve("fs.log"));
        InletProcess node = InletProcess.start(dir.resolve("run2"), data, serverArgs)) {
      List<String> lost;
      try {
        node.awaitReady(Duration.ofSeconds(120));
      } catch (IllegalStateException refused) {
        // The store's marker remembers what was acknowledged: when the log lost some of it, the
        // node refuses to start instead of serving without it. A loss all the same, only loud.
        if (!refused.getMessage().contains(STORE_DETECTED_LOSS)) {
          throw refused;
        }
        fs.unmount();
        return new Outcome(acked, stats, cut, List.of("start refused: " + STORE_DETECTED_LOSS));
      }
      try (GrpcClient client = new GrpcClient(node.grpcPort())) {
        lost = acked.lost(client, STREAM, MQTT_STREAM);
      }
      node.stop(Duration.ofSeconds(30));
      fs.unmount();
      System.out.printf(
          "power cut%s: %d appended + %d published acknowledged, %d lost; fs before the cut %s;"
              + " cut dropped %s%n",
          serverArgs.length == 0 ? "" : " with " + String.join(" ", serverArgs),
          acked.appendedCount(),
          acked.publishedCount(),
          lost.size(),
          stats,
          cut);
      return new Outcome(acked, stats, cut, lost);
    }
  }

  /** Starts appenders and publishers and returns once both have had enough acknowledged. */
  private static void startLoad(
      GrpcClient client,
      int mqttPort,
      AtomicBoolean stop,
      CountDownLatch done,
      AcknowledgedRecords acked)
      throws InterruptedException {
    client.createStream(STREAM, SHARDS);
    List<Long> shards = client.shardIds(STREAM);
    for (int t = 0; t < APPENDERS; t++) {
      int appender = t;
      start("appender-" + t, done, () -> append(client, shards, appender, stop, acked));
    }
    for (int c = 0; c < PUBLISHERS; c++) {
      int publisher = c;
      start("publisher-" + c, done, () -> publish(mqttPort, publisher, stop, acked));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while ((acked.appendedCount() < 2_000 || acked.publishedCount() < 300)
        && System.nanoTime() < deadline) {
      Thread.sleep(10); // polling counters with a deadline
    }
    assertThat(acked.appendedCount()).as("records appended before the cut").isPositive();
    assertThat(acked.publishedCount()).as("messages published before the cut").isPositive();
  }

  private static void start(String name, CountDownLatch done, Runnable work) {
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
              } finally {
                done.countDown();
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Appends small batches until a request fails; every acknowledged record is recorded. */
  private static void append(
      GrpcClient client,
      List<Long> shards,
      int appender,
      AtomicBoolean stop,
      AcknowledgedRecords acked) {
    long shard = shards.get(appender % shards.size());
    CompressionType compression = CompressionType.values()[appender % 3];
    for (int seq = 0; !stop.get(); seq++) {
      List<HStreamRecord> records = new ArrayList<>();
      for (int i = 0; i < 1 + seq % 5; i++) {
        byte[] payload = ("a" + appender + "-" + seq + "-" + i).getBytes(StandardCharsets.UTF_8);
        records.add(HStreamRecords.raw("k" + appender, payload, Map.of()));
      }
      AppendResponse response;
      try {
        response =
            client
                .stub()
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .append(
                    AppendRequest.newBuilder()
                        .setStreamName(STREAM)
                        .setShardId(shard)
                        .setRecords(RecordBatches.encode(records, compression))
                        .build());
      } catch (RuntimeException e) {
        return; // the power is off
      }
      for (int i = 0; i < records.size(); i++) {
        acked.appended(response.getRecordIds(i), records.get(i).getPayload());
      }
    }
  }

  /** Publishes QoS 1 messages one after the other; every PUBACKed one is recorded. */
  private static void publish(
      int port, int publisher, AtomicBoolean stop, AcknowledgedRecords acked) {
    try {
      Mqtt5BlockingClient mqtt =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("power-" + publisher)
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      mqtt.connect();
      for (int seq = 0; !stop.get(); seq++) {
        String payload = "m" + publisher + "-" + seq;
        Mqtt5Qos1Result result =
            (Mqtt5Qos1Result)
                mqtt.publishWith()
                    .topic("power/" + publisher)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8))
                    .send();
        if (result.getError().isPresent() || result.getPubAck().getReasonCode().isError()) {
          return;
        }
        acked.published(payload);
      }
    } catch (RuntimeException e) {
      // the power is off
    }
  }
}
