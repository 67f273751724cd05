package io.inlet.server.sql;

import static io.inlet.server.sql.SqlItClient.await;
import static io.inlet.server.sql.SqlItClient.execute;
import static io.inlet.server.sql.SqlItClient.pull;
import static io.inlet.server.sql.SqlItClient.structs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.GetViewRequest;
import io.inlet.api.hstream.ListQueriesRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL queries through the RPCs against a running node, with the data published over MQTT (records
 * land in the catch-all stream {@code mqtt} as RAW payloads holding JSON objects).
 */
class SqlQueriesIT {
  /** A window boundary (a multiple of 10 s), so the windows below are known exactly. */
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  private ServerConfig config() {
    return ServerConfig.forTests(
        dir.resolve("data"),
        Map.of("sql-event-time-field", "ts", "sql-checkpoint-interval", "500ms", "mqtt-port", "0"));
  }

  @Test
  void filter_window_view_and_bad_statements_through_the_rpcs() throws Exception {
    try (InletServer server = InletServer.start(config());
        GrpcClient grpc = new GrpcClient(server.grpcPort());
        SqlItClient.Publisher mqtt = new SqlItClient.Publisher(server.mqttPort(), "sql-it")) {
      mqtt.publish("a", T0 + 1000, 1);
      mqtt.publish("a", T0 + 2000, 2);
      mqtt.publish("b", T0 + 3000, 5);

      execute(grpc, "CREATE STREAM hot AS SELECT device, v FROM mqtt WHERE v > 4;");
      Query windows =
          grpc.stub()
              .withDeadlineAfter(120, TimeUnit.SECONDS)
              .createQuery(
                  CreateQueryRequest.newBuilder()
                      .setQueryName("per_device")
                      .setSql(
                          "CREATE STREAM totals AS SELECT device, COUNT(*) AS c, SUM(v) AS total,"
                              + " TOPK(v, 2) AS top FROM mqtt"
                              + " GROUP BY device, TUMBLING (INTERVAL 10 SECOND);")
                      .build());
      assertThat(windows.getId()).isEqualTo("per_device");
      assertThat(windows.getSourcesList()).containsExactly("mqtt");
      execute(
          grpc, "CREATE VIEW counts AS SELECT device, COUNT(*) AS c FROM mqtt GROUP BY device;");

      mqtt.publish("a", T0 + 12_000, 10); // the watermark passes the first window's end
      await(() -> structs(grpc, "totals"), 2);
      mqtt.publish("a", T0 + 5_000, 100); // late: its window has closed
      mqtt.publish("a", T0 + 25_000, 1); // closes the second window

      List<Struct> totals = await(() -> structs(grpc, "totals"), 3);
      assertThat(totals)
          .extracting(SqlQueriesIT::summary)
          .containsExactlyInAnyOrder(
              "a c=2 total=3 top=[2, 1] start=2023-11-14T22:13:20",
              "b c=1 total=5 top=[5] start=2023-11-14T22:13:20",
              "a c=1 total=10 top=[10] start=2023-11-14T22:13:30");

      List<Struct> hot = await(() -> structs(grpc, "hot"), 3);
      assertThat(hot)
          .extracting(
              s ->
                  s.getFieldsOrThrow("device").getStringValue()
                      + "="
                      + (long) s.getFieldsOrThrow("v").getNumberValue())
          .containsExactlyInAnyOrder("b=5", "a=10", "a=100");

      // The view counts every record (no window, so nothing is late).
      List<Struct> a =
          await(
              () -> {
                List<Struct> rows = pull(grpc, "SELECT * FROM counts WHERE device = 'a';");
                return rows.size() == 1 && rows.get(0).getFieldsOrThrow("c").getNumberValue() == 5
                    ? rows
                    : List.of();
              },
              1);
      assertThat(a.get(0).getFieldsOrThrow("device").getStringValue()).isEqualTo("a");
      assertThat(
              grpc.stub()
                  .getView(GetViewRequest.newBuilder().setViewId("counts").build())
                  .getSchemaList())
          .containsExactly("device", "c");

      assertThat(
              grpc.stub()
                  .getQuery(GetQueryRequest.newBuilder().setId("per_device").build())
                  .getStatus())
          .isEqualTo(TaskStatusPB.TASK_RUNNING);

      // Bad statements are refused with where and why; the node goes on serving.
      var parse =
          GrpcClient.assertFails(
              () -> execute(grpc, "SELECT device\nFORM mqtt;"),
              Status.Code.INVALID_ARGUMENT,
              ErrorCode.QueryInvalidSQL);
      assertThat(parse.get("message").asText()).contains("line 2, column 1").contains("FROM");
      var unknown =
          GrpcClient.assertFails(
              () -> execute(grpc, "CREATE STREAM nope AS SELECT a FROM nosuch;"),
              Status.Code.NOT_FOUND,
              ErrorCode.StreamNotFound);
      assertThat(unknown.get("message").asText()).contains("nosuch");
      assertThat(grpc.stub().listQueries(ListQueriesRequest.getDefaultInstance()).getQueriesList())
          .extracting(Query::getId)
          .contains("per_device");
      assertThat(grpc.stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList())
          .extracting(s -> s.getStreamName())
          .contains("mqtt", "hot", "totals")
          .doesNotContain("nope");
    }
  }

  @Test
  void a_restart_mid_query_loses_no_window() throws Exception {
    try (InletServer server = InletServer.start(config());
        GrpcClient grpc = new GrpcClient(server.grpcPort());
        SqlItClient.Publisher mqtt = new SqlItClient.Publisher(server.mqttPort(), "sql-it")) {
      mqtt.publish("a", T0 + 1000, 1);
      // TOPK's accumulator is Flink state of its own kind (RAW): restored from the checkpoint too.
      execute(
          grpc,
          "CREATE STREAM totals AS SELECT device, COUNT(*) AS c, TOPK(v, 2) AS top FROM mqtt"
              + " GROUP BY device, TUMBLING (INTERVAL 10 SECOND);");
      mqtt.publish("a", T0 + 2000, 2);
      mqtt.publish("a", T0 + 11_000, 1); // closes window 1
      await(() -> structs(grpc, "totals"), 1);
      mqtt.publish("a", T0 + 12_000, 7); // in window 2, which is open at the restart
    }
    try (InletServer server = InletServer.start(config());
        GrpcClient grpc = new GrpcClient(server.grpcPort());
        SqlItClient.Publisher mqtt = new SqlItClient.Publisher(server.mqttPort(), "sql-it")) {
      mqtt.publish("a", T0 + 13_000, 3);
      mqtt.publish("a", T0 + 21_000, 1); // closes window 2
      List<Struct> totals = await(() -> structs(grpc, "totals"), 2);
      assertThat(totals)
          .extracting(SqlQueriesIT::summary)
          .containsExactly(
              "a c=2 total=- top=[2, 1] start=2023-11-14T22:13:20",
              "a c=3 total=- top=[7, 3] start=2023-11-14T22:13:30");
    }
  }

  private static String summary(Struct s) {
    Map<String, Value> f = s.getFieldsMap();
    String start = f.get("window_start").getStringValue();
    return f.get("device").getStringValue()
        + " c="
        + (long) f.get("c").getNumberValue()
        + " total="
        + (f.containsKey("total") ? Long.toString((long) f.get("total").getNumberValue()) : "-")
        + " top="
        + f.get("top").getListValue().getValuesList().stream()
            .map(v -> Long.toString((long) v.getNumberValue()))
            .toList()
        + " start="
        + start.substring(0, Math.min(19, start.length()));
  }
}
