package io.inlet.server.sql;

import static io.inlet.server.sql.SqlItClient.await;
import static io.inlet.server.sql.SqlItClient.execute;
import static io.inlet.server.sql.SqlItClient.querySample;
import static io.inlet.server.sql.SqlItClient.structs;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
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

/** Each running query's meters on the node's /metrics, tagged with the query's id. */
class SqlQueryMetricsIT {
  @TempDir Path dir;

  @Test
  void a_running_query_has_its_records_lag_checkpoint_and_state_on_metrics() throws Exception {
    ServerConfig config =
        ServerConfig.forTests(dir.resolve("data"), Map.of("sql-checkpoint-interval", "500ms"));
    try (InletServer server = InletServer.start(config);
        GrpcClient grpc = new GrpcClient(server.grpcPort())) {
      grpc.createStream("readings", 1);
      append(grpc, 3);
      grpc.stub()
          .withDeadlineAfter(120, TimeUnit.SECONDS)
          .createQuery(
              CreateQueryRequest.newBuilder()
                  .setQueryName("copy")
                  .setSql("CREATE STREAM copied AS SELECT device, v FROM readings;")
                  .build());
      await(() -> structs(grpc, "copied"), 3);

      Await.until(
          "a completed checkpoint of query copy on /metrics",
          Duration.ofMinutes(2),
          () ->
              !querySample(server, "inlet_sql_query_checkpoint_age_seconds", "copy").isEmpty()
                  && !Double.isNaN(
                      querySample(server, "inlet_sql_query_checkpoint_age_seconds", "copy")
                          .getAsDouble()));
      assertThat(querySample(server, "inlet_sql_query_records_in_total", "copy")).hasValue(3);
      assertThat(querySample(server, "inlet_sql_query_records_out_total", "copy")).hasValue(3);
      assertThat(querySample(server, "inlet_sql_query_lag_seconds", "copy").getAsDouble())
          .isGreaterThanOrEqualTo(0);
      assertThat(querySample(server, "inlet_sql_query_state_size_bytes", "copy").getAsDouble())
          .isGreaterThan(0);

      append(grpc, 2);
      Await.until(
          "the two new records counted in and out",
          Duration.ofMinutes(2),
          () ->
              querySample(server, "inlet_sql_query_records_in_total", "copy").orElse(0) == 5
                  && querySample(server, "inlet_sql_query_records_out_total", "copy").orElse(0)
                      == 5);
      // Everything read: no lag, however long ago the last record was appended.
      Await.until(
          "query copy's lag to be 0 once it has read every record",
          Duration.ofMinutes(2),
          () -> querySample(server, "inlet_sql_query_lag_seconds", "copy").orElse(-1) == 0);

      // A terminated query's meters go with its job.
      execute(grpc, "TERMINATE QUERY copy;");
      Await.until(
          "query copy's meters to be removed",
          Duration.ofMinutes(2),
          () -> querySample(server, "inlet_sql_query_records_in_total", "copy").isEmpty());
    }
  }

  private static void append(GrpcClient grpc, int count) {
    List<HStreamRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String json = "{\"device\":\"d" + i + "\",\"v\":" + i + "}";
      records.add(HStreamRecords.raw("k", json.getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    grpc.append("readings", grpc.shardIds("readings").get(0), GrpcClient.batch(records));
  }
}
