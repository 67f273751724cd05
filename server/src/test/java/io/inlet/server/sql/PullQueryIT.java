package io.inlet.server.sql;

import static io.inlet.server.sql.SqlItClient.execute;
import static io.inlet.server.sql.SqlItClient.pull;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull queries through ExecuteViewQuery and ExecuteQuery on a running node, over a view of 1,200
 * rows kept by an aggregate: every row checked exactly, WHERE on NULL columns in SQL's three-valued
 * logic, and refusals that leave the node serving.
 */
class PullQueryIT {
  private static final int DEVICES = 1200;
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  /** What the view holds per device: its count, its sum and its (maximum) note. */
  private record Expected(long n, long total, String note) {}

  private static String device(int i) {
    return String.format("d%04d", i);
  }

  /** Device i sends v = i; every third device sends v = 1000 again; a fifth have no note. */
  private static Map<String, Expected> expected() {
    Map<String, Expected> out = new TreeMap<>();
    for (int i = 0; i < DEVICES; i++) {
      boolean twice = i % 3 == 0;
      out.put(
          device(i),
          new Expected(twice ? 2 : 1, i + (twice ? 1000 : 0), i % 5 == 0 ? null : "n" + i));
    }
    return out;
  }

  private static List<HStreamRecord> records() {
    List<HStreamRecord> out = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      String note = i % 5 == 0 ? "null" : "\"n" + i + "\"";
      out.add(record(device(i), T0 + i, i, note));
    }
    for (int i = 0; i < DEVICES; i += 3) {
      String note = i % 5 == 0 ? "null" : "\"n" + i + "\"";
      out.add(record(device(i), T0 + DEVICES + i, 1000, note));
    }
    return out;
  }

  private static HStreamRecord record(String device, long ts, long v, String note) {
    String json =
        "{\"device\":\"" + device + "\",\"ts\":" + ts + ",\"v\":" + v + ",\"note\":" + note + "}";
    return HStreamRecords.raw(device, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  @Test
  void pull_queries_read_a_view_of_1200_rows_exactly() throws Exception {
    ServerConfig config =
        ServerConfig.forTests(
            dir.resolve("data"),
            Map.of(
                "sql-event-time-field",
                "ts",
                "sql-checkpoint-interval",
                "500ms",
                "mqtt-port",
                "0"));
    try (InletServer server = InletServer.start(config);
        GrpcClient grpc = new GrpcClient(server.grpcPort())) {
      grpc.createStream("readings", 1);
      long shard = grpc.shardIds("readings").get(0);
      List<HStreamRecord> records = records();
      for (int from = 0; from < records.size(); from += 200) {
        grpc.append(
            "readings",
            shard,
            GrpcClient.batch(records.subList(from, Math.min(records.size(), from + 200))));
      }
      execute(
          grpc,
          "CREATE VIEW readings_by_device AS SELECT device, COUNT(*) AS n, SUM(v) AS total,"
              + " MAX(note) AS note FROM readings GROUP BY device;");
      Map<String, Expected> expected = expected();
      awaitView(grpc, expected);

      // every row, exactly
      List<Struct> all = pull(grpc, "SELECT * FROM readings_by_device;");
      assertThat(all).hasSize(DEVICES);
      Map<String, Expected> seen = new TreeMap<>();
      for (Struct row : all) {
        assertThat(row.getFieldsMap().keySet())
            .containsExactlyInAnyOrder("device", "n", "total", "note");
        seen.put(
            row.getFieldsOrThrow("device").getStringValue(),
            new Expected(
                (long) row.getFieldsOrThrow("n").getNumberValue(),
                (long) row.getFieldsOrThrow("total").getNumberValue(),
                text(row.getFieldsOrThrow("note"))));
      }
      assertThat(seen).isEqualTo(expected);

      // WHERE on a NULL column
      assertThat(
              devices(pull(grpc, "SELECT device, note FROM readings_by_device WHERE note IS NULL")))
          .isEqualTo(devicesWhere(expected, e -> e.note() == null));
      assertThat(pull(grpc, "SELECT device FROM readings_by_device WHERE note = NULL")).isEmpty();
      assertThat(
              devices(pull(grpc, "SELECT device FROM readings_by_device WHERE NOT (note > 'n5')")))
          .isEqualTo(devicesWhere(expected, e -> e.note() != null && e.note().compareTo("n5") <= 0))
          .isNotEmpty();
      assertThat(
              devices(
                  pull(
                      grpc,
                      "SELECT device FROM readings_by_device WHERE note IS NOT NULL OR n = 2")))
          .isEqualTo(devicesWhere(expected, e -> e.note() != null || e.n() == 2));

      // ExecuteQuery with a pull SELECT: expressions, aliases, BETWEEN
      List<Struct> twice =
          execute(
              grpc,
              "SELECT device AS d, total * 2 AS twice FROM readings_by_device"
                  + " WHERE n = 2 AND total BETWEEN 1000 AND 1500;");
      Map<String, Long> got = new HashMap<>();
      for (Struct row : twice) {
        assertThat(row.getFieldsMap().keySet()).containsExactlyInAnyOrder("d", "twice");
        got.put(
            row.getFieldsOrThrow("d").getStringValue(),
            (long) row.getFieldsOrThrow("twice").getNumberValue());
      }
      Map<String, Long> want = new HashMap<>();
      expected.forEach(
          (d, e) -> {
            if (e.n() == 2 && e.total() >= 1000 && e.total() <= 1500) {
              want.put(d, e.total() * 2);
            }
          });
      assertThat(got).isEqualTo(want).hasSize(167);

      // what the evaluator does not run is refused by name; the node keeps serving
      var aggregate =
          GrpcClient.assertFails(
              () -> pull(grpc, "SELECT COUNT(*) FROM readings_by_device"),
              Status.Code.INVALID_ARGUMENT,
              ErrorCode.ViewInvalidSQL);
      assertThat(aggregate.get("message").asText())
          .contains("line 1, column 8")
          .contains("aggregate function COUNT is not supported in a pull query");
      var mismatch =
          GrpcClient.assertFails(
              () -> execute(grpc, "SELECT device FROM readings_by_device WHERE device = 1;"),
              Status.Code.INVALID_ARGUMENT,
              ErrorCode.ViewInvalidSQL);
      assertThat(mismatch.get("message").asText()).contains("cannot compare STRING with NUMBER");
      var cast =
          GrpcClient.assertFails(
              () -> pull(grpc, "SELECT CAST(device AS INTEGER) FROM readings_by_device"),
              Status.Code.INVALID_ARGUMENT,
              ErrorCode.ViewInvalidSQL);
      assertThat(cast.get("message").asText()).contains("cannot cast STRING 'd");
      assertThat(pull(grpc, "SELECT device FROM readings_by_device WHERE device = 'd0003'"))
          .hasSize(1);
    }
  }

  private static void awaitView(GrpcClient grpc, Map<String, Expected> expected)
      throws InterruptedException {
    long wantCount = expected.values().stream().mapToLong(Expected::n).sum();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      List<Struct> rows = pull(grpc, "SELECT n FROM readings_by_device");
      long count =
          rows.stream().mapToLong(r -> (long) r.getFieldsOrThrow("n").getNumberValue()).sum();
      if (rows.size() == expected.size() && count == wantCount) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the view did not reach " + expected.size() + " rows");
  }

  private static String text(Value v) {
    return v.hasNullValue() ? null : v.getStringValue();
  }

  private static Set<String> devices(List<Struct> rows) {
    Set<String> out = new HashSet<>();
    rows.forEach(r -> out.add(r.getFieldsOrThrow("device").getStringValue()));
    assertThat(out).hasSize(rows.size());
    return out;
  }

  private static Set<String> devicesWhere(
      Map<String, Expected> expected, java.util.function.Predicate<Expected> test) {
    Set<String> out = new HashSet<>();
    expected.forEach(
        (d, e) -> {
          if (test.test(e)) {
            out.add(d);
          }
        });
    return out;
  }
}
