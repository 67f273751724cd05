package io.inlet.server.sql;

import static io.inlet.server.sql.SqlItClient.await;
import static io.inlet.server.sql.SqlItClient.awaitStatus;
import static io.inlet.server.sql.SqlItClient.execute;
import static io.inlet.server.sql.SqlItClient.structs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListQueriesRequest;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.api.record.HStreamRecords;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A query that fails on every record ends ABORTED with its cause; the node goes on serving. */
class SqlQueryFailuresIT {
  @TempDir Path dir;

  @Test
  void a_query_failing_on_every_record_is_aborted_after_its_restarts_and_says_why()
      throws Exception {
    ServerConfig config =
        ServerConfig.forTests(
            dir.resolve("data"),
            Map.of("sql-checkpoint-interval", "500ms", "sql-restart-attempts", "2"));
    try (InletServer server = InletServer.start(config);
        GrpcClient grpc = new GrpcClient(server.grpcPort())) {
      grpc.createStream("readings", 1);
      append(grpc, "{\"device\":\"a\",\"v\":1}");

      // "a" is no integer: the CAST throws on every record, after every restart again.
      create(
          grpc,
          "bad",
          "CREATE STREAM casted AS SELECT CAST(device AS INTEGER) AS n FROM readings;");
      awaitStatus(grpc, "bad", TaskStatusPB.TASK_ABORTED);

      assertThat(grpc.stub().listQueries(ListQueriesRequest.getDefaultInstance()).getQueriesList())
          .filteredOn(q -> q.getId().equals("bad"))
          .extracting(Query::getStatus)
          .containsExactly(TaskStatusPB.TASK_ABORTED);
      List<Struct> shown =
          execute(grpc, "SHOW QUERIES;").stream()
              .filter(r -> r.getFieldsOrThrow("query_id").getStringValue().equals("bad"))
              .toList();
      assertThat(shown).hasSize(1);
      assertThat(shown.get(0).getFieldsOrThrow("status").getStringValue()).isEqualTo("ABORTED");
      assertThat(shown.get(0).getFieldsOrThrow("error").getStringValue())
          .contains("FAILED")
          .contains("NumberFormatException");

      // The node and its other queries go on.
      create(grpc, "good", "CREATE STREAM copied AS SELECT device, v FROM readings;");
      append(grpc, "{\"device\":\"b\",\"v\":2}");
      assertThat(await(() -> structs(grpc, "copied"), 2))
          .extracting(s -> s.getFieldsOrThrow("device").getStringValue())
          .containsExactlyInAnyOrder("a", "b");
      assertThat(SqlItClient.status(grpc, "bad")).isEqualTo(TaskStatusPB.TASK_ABORTED);
    }
  }

  private static void create(GrpcClient grpc, String name, String sql) {
    grpc.stub()
        .withDeadlineAfter(5, TimeUnit.MINUTES)
        .createQuery(CreateQueryRequest.newBuilder().setQueryName(name).setSql(sql).build());
  }

  private static void append(GrpcClient grpc, String json) {
    HStreamRecord record = HStreamRecords.raw("k", json.getBytes(StandardCharsets.UTF_8), Map.of());
    grpc.append("readings", grpc.shardIds("readings").get(0), GrpcClient.batch(List.of(record)));
  }
}
