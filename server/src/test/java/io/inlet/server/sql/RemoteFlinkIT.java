package io.inlet.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Struct;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries submitted to a real Flink session cluster ({@code sql-flink-rest}): a JobManager and a
 * TaskManager in their own JVMs, which know nothing of Inlet; the jobs ship the {@code inlet}
 * connector's jars and read and write the node's streams over its gRPC port.
 */
class RemoteFlinkIT {
  /** A window boundary (a multiple of 10 s), so the windows below are known exactly. */
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  @Test
  void a_filter_and_a_window_run_on_the_flink_cluster() throws Exception {
    FlinkSessionCluster flink = FlinkSessionCluster.start(dir.resolve("flink"), 4);
    try (flink;
        InletServer server =
            InletServer.start(
                ServerConfig.forTests(
                    dir.resolve("data"),
                    Map.of(
                        "sql-flink-rest", flink.restAddress(),
                        "sql-event-time-field", "ts",
                        "sql-checkpoint-interval", "1s",
                        "mqtt-port", "0")));
        GrpcClient grpc = new GrpcClient(server.grpcPort());
        Publisher mqtt = new Publisher(server.mqttPort())) {
      mqtt.publish("a", T0 + 1000, 1);
      mqtt.publish("a", T0 + 2000, 2);
      mqtt.publish("b", T0 + 3000, 5);

      grpc.stub()
          .withDeadlineAfter(3, TimeUnit.MINUTES)
          .createQuery(
              CreateQueryRequest.newBuilder()
                  .setQueryName("hot_readings")
                  .setSql("CREATE STREAM hot AS SELECT device, v FROM mqtt WHERE v > 4;")
                  .build());
      grpc.stub()
          .withDeadlineAfter(3, TimeUnit.MINUTES)
          .executeQuery(
              CommandQuery.newBuilder()
                  .setStmtText(
                      "CREATE STREAM totals AS SELECT device, COUNT(*) AS c, SUM(v) AS total"
                          + " FROM mqtt GROUP BY device, TUMBLING (INTERVAL 10 SECOND);")
                  .build());

      mqtt.publish("a", T0 + 12_000, 10); // the watermark passes the first window's end
      mqtt.publish("b", T0 + 25_000, 7); // and the second one's

      List<String> totals =
          awaitRows(
              grpc,
              "totals",
              3,
              s ->
                  s.getFieldsOrThrow("device").getStringValue()
                      + " c="
                      + (long) s.getFieldsOrThrow("c").getNumberValue()
                      + " total="
                      + (long) s.getFieldsOrThrow("total").getNumberValue()
                      + " start="
                      + s.getFieldsOrThrow("window_start").getStringValue().substring(0, 19));
      assertThat(totals)
          .containsExactlyInAnyOrder(
              "a c=2 total=3 start=2023-11-14T22:13:20",
              "b c=1 total=5 start=2023-11-14T22:13:20",
              "a c=1 total=10 start=2023-11-14T22:13:30");
      List<String> hot =
          awaitRows(
              grpc,
              "hot",
              3,
              s ->
                  s.getFieldsOrThrow("device").getStringValue()
                      + "="
                      + (long) s.getFieldsOrThrow("v").getNumberValue());
      assertThat(hot).containsExactlyInAnyOrder("b=5", "a=10", "b=7");

      // Both jobs run on the cluster, under their query names.
      JsonNode jobs = flink.jobs();
      List<String> running = new ArrayList<>();
      for (JsonNode job : jobs) {
        if (job.path("state").asText().equals("RUNNING")) {
          running.add(job.path("name").asText());
        }
      }
      assertThat(running).as("running jobs in %s", jobs).contains("hot_readings").hasSize(2);
      assertThat(
              grpc.stub()
                  .getQuery(GetQueryRequest.newBuilder().setId("hot_readings").build())
                  .getStatus())
          .isEqualTo(TaskStatusPB.TASK_RUNNING);
    } catch (Throwable e) {
      e.addSuppressed(new AssertionError("Flink's logs:\n" + flink.logTails()));
      throw e;
    }
  }

  /**
   * Waits until the stream holds {@code n} records, then for a moment more in which no further
   * record may arrive, and returns each record as {@code describe} puts it.
   */
  private static List<String> awaitRows(
      GrpcClient grpc, String stream, int n, java.util.function.Function<Struct, String> describe) {
    Await.until(
        () -> n + " records in " + stream + ", have " + rows(grpc, stream, describe),
        Duration.ofMinutes(2),
        () -> rows(grpc, stream, describe).size() >= n);
    Await.holds(
        "no more than " + n + " records in " + stream,
        Duration.ofSeconds(2),
        () -> rows(grpc, stream, describe).size() == n);
    return rows(grpc, stream, describe);
  }

  private static List<String> rows(
      GrpcClient grpc, String stream, java.util.function.Function<Struct, String> describe) {
    List<String> out = new ArrayList<>();
    for (HStreamRecord r : StreamContents.records(grpc, stream)) {
      try {
        out.add(describe.apply(Struct.parseFrom(r.getPayload())));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** A QoS 1 publisher of sensor readings as JSON objects (they land in the stream mqtt). */
  private static final class Publisher implements AutoCloseable {
    private final Mqtt5BlockingClient client;

    Publisher(int port) {
      client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("remote-flink-it")
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      client.connect();
    }

    void publish(String device, long ts, long v) {
      String json = "{\"device\":\"" + device + "\",\"ts\":" + ts + ",\"v\":" + v + "}";
      client
          .publishWith()
          .topic("sensors/" + device)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(json.getBytes(StandardCharsets.UTF_8))
          .send();
    }

    @Override
    public void close() {
      client.disconnect();
    }
  }
}
