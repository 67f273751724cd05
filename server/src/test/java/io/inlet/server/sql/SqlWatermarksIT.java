package io.inlet.server.sql;

import static io.inlet.server.sql.SqlItClient.await;
import static io.inlet.server.sql.SqlItClient.awaitStatus;
import static io.inlet.server.sql.SqlItClient.querySample;
import static io.inlet.server.sql.SqlItClient.structs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.TaskStatusPB;
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

/**
 * Event-time windows over a stream of two shards whose records are out of order across the shards:
 * each shard has its own watermark, so a record read from one shard after later records from the
 * other is not late.
 */
class SqlWatermarksIT {
  /** A window boundary (a multiple of 10 s), so the windows below are known exactly. */
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  @Test
  void records_out_of_order_across_shards_all_count_and_each_window_is_emitted_once()
      throws Exception {
    ServerConfig config =
        ServerConfig.forTests(
            dir.resolve("data"),
            Map.of(
                "sql-event-time-field", "ts",
                "sql-checkpoint-interval", "500ms",
                // Far longer than the test: no shard is ever treated as idle here.
                "sql-source-idle-timeout", "10m"));
    try (InletServer server = InletServer.start(config);
        GrpcClient grpc = new GrpcClient(server.grpcPort())) {
      grpc.createStream("readings", 2);
      List<Long> shards = grpc.shardIds("readings");
      assertThat(shards).hasSize(2);
      long first = shards.get(0);
      long second = shards.get(1);
      create(
          grpc,
          "tumbling",
          "CREATE STREAM totals AS SELECT device, COUNT(*) AS c FROM readings"
              + " GROUP BY device, TUMBLING (INTERVAL 10 SECOND);");
      create(
          grpc,
          "sessions",
          "CREATE STREAM sessions AS SELECT device, COUNT(*) AS c FROM readings"
              + " GROUP BY device, SESSION (INTERVAL 5 SECOND);");
      awaitStatus(grpc, "tumbling", TaskStatusPB.TASK_RUNNING);
      awaitStatus(grpc, "sessions", TaskStatusPB.TASK_RUNNING);

      // The first shard runs 30 s ahead. Both queries read it before the second shard has
      // anything, and then get time to emit watermarks (every 50 ms): one watermark for the whole
      // source would now pass the second shard's records below, and drop them as late.
      append(grpc, first, T0 + 1_000, T0 + 2_000, T0 + 31_000);
      for (String query : List.of("tumbling", "sessions")) {
        Await.until(
            "query " + query + " read the first shard's 3 records",
            Duration.ofMinutes(2),
            () -> querySample(server, "inlet_sql_query_records_in_total", query).orElse(0) == 3);
      }
      Thread.sleep(1_000);
      // The second shard's records are older than the first shard's newest.
      append(grpc, second, T0 + 3_000, T0 + 4_000, T0 + 32_000);
      // Both shards move on: every window and session above closes.
      append(grpc, first, T0 + 60_000);
      append(grpc, second, T0 + 60_000);

      assertThat(await(() -> structs(grpc, "totals"), 2))
          .extracting(SqlWatermarksIT::summary)
          .containsExactlyInAnyOrder(
              "a c=4 start=2023-11-14T22:13:20", "a c=2 start=2023-11-14T22:13:50");
      assertThat(await(() -> structs(grpc, "sessions"), 2))
          .extracting(SqlWatermarksIT::summary)
          .containsExactlyInAnyOrder(
              "a c=4 start=2023-11-14T22:13:21", "a c=2 start=2023-11-14T22:13:51");
    }
  }

  @Test
  void a_window_closes_when_one_of_two_shards_gets_no_records() throws Exception {
    ServerConfig config =
        ServerConfig.forTests(
            dir.resolve("data"),
            Map.of(
                "sql-event-time-field", "ts",
                "sql-checkpoint-interval", "500ms",
                // The second shard never gets a record: after this long it no longer holds the
                // query's watermark back (with an idle timeout longer than the test, no window
                // would ever close).
                "sql-source-idle-timeout", "1s"));
    try (InletServer server = InletServer.start(config);
        GrpcClient grpc = new GrpcClient(server.grpcPort())) {
      grpc.createStream("readings", 2);
      long first = grpc.shardIds("readings").get(0);
      create(
          grpc,
          "tumbling",
          "CREATE STREAM totals AS SELECT device, COUNT(*) AS c FROM readings"
              + " GROUP BY device, TUMBLING (INTERVAL 10 SECOND);");
      awaitStatus(grpc, "tumbling", TaskStatusPB.TASK_RUNNING);

      // Only the first shard has records; the last one is past the first window's end.
      append(grpc, first, T0 + 1_000, T0 + 2_000, T0 + 3_000, T0 + 60_000);

      assertThat(await(() -> structs(grpc, "totals"), 1))
          .extracting(SqlWatermarksIT::summary)
          .containsExactly("a c=3 start=2023-11-14T22:13:20");
    }
  }

  private static void create(GrpcClient grpc, String name, String sql) {
    grpc.stub()
        .withDeadlineAfter(5, TimeUnit.MINUTES)
        .createQuery(CreateQueryRequest.newBuilder().setQueryName(name).setSql(sql).build());
  }

  /** Appends one RAW JSON reading of device {@code a} per event time to shard {@code shard}. */
  private static void append(GrpcClient grpc, long shard, long... eventTimes) {
    List<HStreamRecord> records = new ArrayList<>();
    for (long ts : eventTimes) {
      String json = "{\"device\":\"a\",\"ts\":" + ts + "}";
      records.add(HStreamRecords.raw("a", json.getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    grpc.append("readings", shard, GrpcClient.batch(records));
  }

  private static String summary(Struct s) {
    Map<String, Value> f = s.getFieldsMap();
    String start = f.get("window_start").getStringValue();
    return f.get("device").getStringValue()
        + " c="
        + (long) f.get("c").getNumberValue()
        + " start="
        + start.substring(0, Math.min(19, start.length()));
  }
}
