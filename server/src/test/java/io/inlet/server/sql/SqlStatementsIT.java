package io.inlet.server.sql;

import static io.inlet.server.sql.SqlItClient.await;
import static io.inlet.server.sql.SqlItClient.awaitStatus;
import static io.inlet.server.sql.SqlItClient.execute;
import static io.inlet.server.sql.SqlItClient.pull;
import static io.inlet.server.sql.SqlItClient.status;
import static io.inlet.server.sql.SqlItClient.structs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.ColumnCatalog;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.DeleteQueryRequest;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.GetSchemaRequest;
import io.inlet.api.hstream.GetViewRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.ListQueriesRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.ListViewsRequest;
import io.inlet.api.hstream.ParseSqlRequest;
import io.inlet.api.hstream.PauseQueryRequest;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.ResumeQueryRequest;
import io.inlet.api.hstream.Schema;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.api.hstream.TerminateQueryRequest;
import io.inlet.api.hstream.UnregisterSchemaRequest;
import io.inlet.api.hstream.View;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statements and RPCs around queries, views and schemas, against one running node with data
 * published over MQTT into the catch-all stream {@code mqtt}. Every test reads its own devices and
 * its own time range, later than every earlier test's (a query reads {@code mqtt} from its first
 * record, so an earlier range would be late for its windows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlStatementsIT {
  /** A window boundary (a multiple of 10 s). */
  private static final long T0 = 1_700_000_000_000L;

  private InletServer server;
  private GrpcClient grpc;
  private SqlItClient.Publisher mqtt;
  private long nextBase = T0;

  @BeforeAll
  void start(@TempDir Path dir) {
    server =
        InletServer.start(
            ServerConfig.forTests(
                dir.resolve("data"),
                Map.of(
                    "sql-event-time-field",
                    "ts",
                    "sql-checkpoint-interval",
                    "500ms",
                    "mqtt-port",
                    "0")));
    grpc = new GrpcClient(server.grpcPort());
    mqtt = new SqlItClient.Publisher(server.mqttPort(), "sql-statements-it");
  }

  @AfterAll
  void stop() throws Exception {
    mqtt.close();
    grpc.close();
    server.close();
  }

  /** The start of this test's time range: 1000 s after the previous test's. */
  private synchronized long base() {
    nextBase += 1_000_000;
    return nextBase;
  }

  @Test
  void pause_resume_terminate_and_drop_a_query() throws Exception {
    long t = base();
    mqtt.publish("lc", t + 1000, 1);
    Query created =
        grpc.stub()
            .withDeadlineAfter(120, TimeUnit.SECONDS)
            .createQuery(
                CreateQueryRequest.newBuilder()
                    .setQueryName("lc")
                    .setSql(
                        "CREATE STREAM lc_out AS SELECT device, v FROM mqtt WHERE device = 'lc';")
                    .build());
    assertThat(created.getResultName()).isEqualTo("lc_out");
    awaitStatus(grpc, "lc", TaskStatusPB.TASK_RUNNING);
    await(() -> structs(grpc, "lc_out"), 1);

    grpc.stub().pauseQuery(PauseQueryRequest.newBuilder().setId("lc").build());
    assertThat(status(grpc, "lc")).isEqualTo(TaskStatusPB.TASK_PAUSED);
    assertThat(grpc.stub().listQueries(ListQueriesRequest.getDefaultInstance()).getQueriesList())
        .filteredOn(q -> q.getId().equals("lc"))
        .extracting(Query::getStatus)
        .containsExactly(TaskStatusPB.TASK_PAUSED);
    GrpcClient.assertFails(
        () -> grpc.stub().pauseQuery(PauseQueryRequest.newBuilder().setId("lc").build()),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.QueryNotRunning);
    mqtt.publish("lc", t + 2000, 2); // while paused: read once the query resumes
    Thread.sleep(1500);
    assertThat(structs(grpc, "lc_out")).hasSize(1);

    execute(grpc, "RESUME QUERY lc;");
    awaitStatus(grpc, "lc", TaskStatusPB.TASK_RUNNING);
    GrpcClient.assertFails(
        () -> grpc.stub().resumeQuery(ResumeQueryRequest.newBuilder().setId("lc").build()),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.QueryStillRunning);
    mqtt.publish("lc", t + 3000, 3);
    assertThat(await(() -> structs(grpc, "lc_out"), 3))
        .extracting(s -> (long) s.getFieldsOrThrow("v").getNumberValue())
        .containsExactlyInAnyOrder(1L, 2L, 3L); // each once: the pause lost and repeated nothing

    GrpcClient.assertFails(
        () -> execute(grpc, "DROP QUERY lc;"),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.QueryNotTerminated);
    execute(grpc, "TERMINATE QUERY lc;");
    assertThat(status(grpc, "lc")).isEqualTo(TaskStatusPB.TASK_TERMINATED);
    GrpcClient.assertFails(
        () ->
            grpc.stub().terminateQuery(TerminateQueryRequest.newBuilder().setQueryId("lc").build()),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.QueryAlreadyTerminated);
    mqtt.publish("lc", t + 4000, 4);
    Thread.sleep(1500);
    assertThat(structs(grpc, "lc_out")).hasSize(3); // a terminated query writes nothing more

    execute(grpc, "DROP QUERY lc;");
    GrpcClient.assertFails(
        () -> grpc.stub().getQuery(GetQueryRequest.newBuilder().setId("lc").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.QueryNotFound);
    GrpcClient.assertFails(
        () -> grpc.stub().deleteQuery(DeleteQueryRequest.newBuilder().setId("lc").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.QueryNotFound);
    execute(grpc, "DROP QUERY lc IF EXISTS;");
    execute(grpc, "DROP STREAM lc_out;");
    assertThat(streamNames()).doesNotContain("lc_out");
    GrpcClient.assertFails(
        () -> execute(grpc, "DROP STREAM lc_out;"),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
    execute(grpc, "DROP STREAM lc_out IF EXISTS;");
  }

  @Test
  void a_view_is_listed_parsed_pulled_and_dropped() throws Exception {
    long t = base();
    mqtt.publish("va", t + 1000, 5);
    mqtt.publish("va", t + 2000, 7);
    mqtt.publish("vb", t + 3000, 1);
    execute(
        grpc,
        "CREATE VIEW vsum AS SELECT device, SUM(v) AS total FROM mqtt"
            + " WHERE device = 'va' OR device = 'vb' GROUP BY device;");
    View view =
        grpc.stub().listViews(ListViewsRequest.getDefaultInstance()).getViewsList().stream()
            .filter(v -> v.getViewId().equals("vsum"))
            .findFirst()
            .orElseThrow();
    assertThat(view.getSchemaList()).containsExactly("device", "total");
    View got = grpc.stub().getView(GetViewRequest.newBuilder().setViewId("vsum").build());
    assertThat(got.getQueryName()).isEqualTo(view.getQueryName());
    assertThat(got.getSql()).contains("SUM(v)");
    assertThat(status(grpc, view.getQueryName()))
        .isIn(TaskStatusPB.TASK_CREATING, TaskStatusPB.TASK_RUNNING);
    assertThat(
            grpc.stub()
                .getQuery(GetQueryRequest.newBuilder().setId(view.getQueryName()).build())
                .getResultName())
        .isEqualTo("vsum");

    String select = "SELECT device, total FROM vsum WHERE total > 2;";
    assertThat(
            grpc.stub()
                .parseSql(ParseSqlRequest.newBuilder().setSql(select).build())
                .getEvqSql()
                .getView())
        .isEqualTo("vsum");
    assertThat(
            grpc.stub()
                .parseSql(
                    ParseSqlRequest.newBuilder().setSql("SELECT * FROM mqtt EMIT CHANGES;").build())
                .hasEvqSql())
        .isFalse();
    var bad =
        GrpcClient.assertFails(
            () ->
                grpc.stub()
                    .parseSql(ParseSqlRequest.newBuilder().setSql("SELEC * FROM vsum;").build()),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.QueryInvalidSQL);
    assertThat(bad.get("message").asText()).contains("line 1, column 1");

    List<Struct> rows =
        await(
            () -> {
              List<Struct> r = pull(grpc, select);
              return r.size() == 1 && r.get(0).getFieldsOrThrow("total").getNumberValue() == 12
                  ? r
                  : List.of();
            },
            1);
    assertThat(rows.get(0).getFieldsOrThrow("device").getStringValue()).isEqualTo("va");

    // A view's query goes with the view, not on its own.
    GrpcClient.assertFails(
        () ->
            grpc.stub()
                .deleteQuery(DeleteQueryRequest.newBuilder().setId(view.getQueryName()).build()),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.QueryFoundAssociatedView);
    execute(grpc, "DROP VIEW vsum;");
    assertThat(grpc.stub().listViews(ListViewsRequest.getDefaultInstance()).getViewsList())
        .extracting(View::getViewId)
        .doesNotContain("vsum");
    assertThat(grpc.stub().listQueries(ListQueriesRequest.getDefaultInstance()).getQueriesList())
        .extracting(Query::getId)
        .doesNotContain(view.getQueryName());
    assertThat(streamNames()).noneMatch(s -> s.startsWith("vsum"));
    GrpcClient.assertFails(() -> pull(grpc, select), Status.Code.NOT_FOUND, ErrorCode.ViewNotFound);
    execute(grpc, "DROP VIEW vsum IF EXISTS;");
  }

  @Test
  void insert_values_and_a_registered_schema() throws Exception {
    execute(grpc, "CREATE STREAM ins;");
    execute(grpc, "INSERT INTO ins (city, temp, n) VALUES ('Paris', 21.5, 3);");
    execute(grpc, "INSERT INTO ins VALUES '{\"city\": \"Oslo\", \"temp\": -3, \"n\": 4}'::JSONB;");
    execute(grpc, "CREATE STREAM ins_raw;");
    execute(grpc, "INSERT INTO ins_raw VALUES 'raw bytes'::BYTEA;");
    List<HStreamRecord> records = StreamContents.records(grpc, "ins");
    assertThat(records)
        .extracting(r -> r.getHeader().getFlag())
        .containsExactly(HStreamRecordHeader.Flag.JSON, HStreamRecordHeader.Flag.JSON);
    List<HStreamRecord> raw = StreamContents.records(grpc, "ins_raw");
    assertThat(raw)
        .extracting(r -> r.getHeader().getFlag())
        .containsExactly(HStreamRecordHeader.Flag.RAW);
    Struct paris = SqlItClient.struct(records.get(0));
    assertThat(paris.getFieldsOrThrow("city").getStringValue()).isEqualTo("Paris");
    assertThat(paris.getFieldsOrThrow("temp").getNumberValue()).isEqualTo(21.5);
    assertThat(SqlItClient.struct(records.get(1)).getFieldsOrThrow("temp").getNumberValue())
        .isEqualTo(-3);
    assertThat(raw.get(0).getPayload().toStringUtf8()).isEqualTo("raw bytes");
    GrpcClient.assertFails(
        () -> execute(grpc, "INSERT INTO nosuch (a) VALUES (1);"),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);

    // Without a schema, n is typed from the records (whole numbers: BIGINT, so n / 2 divides
    // whole numbers); with one, as the schema says (FLOAT).
    execute(grpc, "CREATE STREAM ins_half AS SELECT city, n / 2 AS h FROM ins;");
    assertThat(await(() -> structs(grpc, "ins_half"), 2))
        .extracting(r -> r.getFieldsOrThrow("h").getNumberValue())
        .containsExactlyInAnyOrder(1.0, 2.0);
    Schema schema =
        Schema.newBuilder()
            .setOwner("ins")
            .addColumns(ColumnCatalog.newBuilder().setIndex(0).setName("city").setType("STRING"))
            .addColumns(ColumnCatalog.newBuilder().setIndex(1).setName("n").setType("FLOAT"))
            .build();
    grpc.stub().registerSchema(schema);
    assertThat(grpc.stub().getSchema(GetSchemaRequest.newBuilder().setOwner("ins").build()))
        .isEqualTo(schema);
    execute(grpc, "CREATE STREAM ins_half_float AS SELECT city, n / 2 AS h FROM ins;");
    assertThat(await(() -> structs(grpc, "ins_half_float"), 2))
        .extracting(r -> r.getFieldsOrThrow("h").getNumberValue())
        .containsExactlyInAnyOrder(1.5, 2.0);
    grpc.stub().unregisterSchema(UnregisterSchemaRequest.newBuilder().setOwner("ins").build());
    GrpcClient.assertFails(
        () -> grpc.stub().getSchema(GetSchemaRequest.newBuilder().setOwner("ins").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
    GrpcClient.assertFails(
        () ->
            grpc.stub()
                .unregisterSchema(UnregisterSchemaRequest.newBuilder().setOwner("ins").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
    assertThat(explain("SELECT n FROM ins EMIT CHANGES;")).contains("TableSourceScan");
    execute(grpc, "DROP STREAM ins;");
  }

  private String explain(String select) {
    List<Struct> plan = execute(grpc, "EXPLAIN " + select);
    assertThat(plan).hasSize(1);
    return plan.get(0).getFieldsOrThrow("plan").getStringValue();
  }

  /** As HStreamDB's CLI runs {@code SELECT ... EMIT CHANGES} (and ./inlet sql does). */
  @Test
  void a_push_query_read_the_way_hstream_sql_reads_one() throws Exception {
    long t = base();
    String stream = "cli_generated_stream_pushtest";
    String query = "cli_generated_pushtest";
    String subscription = "cli_internal_subscription_pushtest";
    mqtt.publish("push", t + 1000, 1);
    grpc.stub()
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .createQuery(
            CreateQueryRequest.newBuilder()
                .setQueryName(query)
                .setSql(
                    "CREATE STREAM "
                        + stream
                        + " AS SELECT device, v * 10 AS v10 FROM mqtt WHERE device = 'push';")
                .build());
    grpc.subscribe(subscription, stream, 60, 10_000);

    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<StreamingFetchRequest> requests =
        grpc.async.streamingFetch(
            new StreamObserver<>() {
              @Override
              public void onNext(StreamingFetchResponse response) {
                events.add(response);
              }

              @Override
              public void onError(Throwable t) {
                events.add(t);
              }

              @Override
              public void onCompleted() {
                events.add("completed");
              }
            });
    StreamingFetchRequest.Builder start =
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscription)
            .setConsumerName("cli_consumer_pushtest");
    requests.onNext(start.build());
    List<Long> seen = new java.util.ArrayList<>();
    boolean publishedMore = false;
    while (seen.size() < 3) {
      Object event = events.poll(2, TimeUnit.MINUTES);
      assertThat(event)
          .as("a result within 2 minutes; have " + seen)
          .isInstanceOf(StreamingFetchResponse.class);
      StreamingFetchResponse response = (StreamingFetchResponse) event;
      for (HStreamRecord r : RecordBatches.decode(response.getReceivedRecords().getRecord())) {
        Struct row = SqlItClient.struct(r);
        assertThat(row.getFieldsOrThrow("device").getStringValue()).isEqualTo("push");
        seen.add((long) row.getFieldsOrThrow("v10").getNumberValue());
      }
      requests.onNext(
          start.clone().addAllAckIds(response.getReceivedRecords().getRecordIdsList()).build());
      if (!publishedMore) {
        publishedMore = true;
        mqtt.publish("push", t + 2000, 2); // results go on arriving while the client reads
        mqtt.publish("push", t + 3000, 3);
      }
    }
    assertThat(seen).containsExactly(10L, 20L, 30L);
    requests.onCompleted();

    grpc.stub()
        .deleteSubscription(
            DeleteSubscriptionRequest.newBuilder()
                .setSubscriptionId(subscription)
                .setForce(true)
                .build());
    grpc.stub().terminateQuery(TerminateQueryRequest.newBuilder().setQueryId(query).build());
    grpc.stub()
        .deleteStream(
            DeleteStreamRequest.newBuilder()
                .setStreamName(stream)
                .setIgnoreNonExist(true)
                .setForce(true)
                .build());
    assertThat(status(grpc, query)).isEqualTo(TaskStatusPB.TASK_TERMINATED);
    assertThat(streamNames()).doesNotContain(stream);
  }

  @Test
  void a_hopping_window() throws Exception {
    long t = base();
    execute(
        grpc,
        "CREATE STREAM hops AS SELECT device, COUNT(*) AS c FROM mqtt WHERE device = 'hop'"
            + " GROUP BY device, HOPPING (INTERVAL 10 SECOND, INTERVAL 5 SECOND);");
    mqtt.publish("hop", t + 1000, 1);
    mqtt.publish("hop", t + 6000, 1);
    mqtt.publish("end", t + 60_000, 0); // the watermark passes every window above

    // Windows of 10 s every 5 s: [t-5, t+5) holds 1 record, [t, t+10) 2, [t+5, t+15) 1.
    assertThat(await(() -> structs(grpc, "hops"), 3))
        .extracting(s -> offset(s, t) + " c=" + (long) s.getFieldsOrThrow("c").getNumberValue())
        .containsExactlyInAnyOrder("-5000 c=1", "0 c=2", "5000 c=1");
  }

  /**
   * Each session once, with all its records. {@code mqtt} has one shard, so watermarks were never
   * the issue here: with the WHERE outside the window function, Flink's planner folded the filtered
   * partition key into a constant and aggregated the sessions without a window, and the first
   * session was also written with its first record only ("1000 c=1 s=1", an update of the result).
   * The translation now filters the records before they form sessions.
   */
  @Test
  void a_session_window() throws Exception {
    long t = base();
    execute(
        grpc,
        "CREATE STREAM sessions AS SELECT device, COUNT(*) AS c, SUM(v) AS s FROM mqtt"
            + " WHERE device = 'ses' GROUP BY device, SESSION (INTERVAL 5 SECOND);");
    mqtt.publish("ses", t + 1000, 1);
    mqtt.publish("ses", t + 3000, 2); // the same session: within 5 s
    mqtt.publish("other", t + 6000, 1);
    mqtt.publish("ses", t + 20_000, 4); // a new session
    mqtt.publish("end", t + 60_000, 0); // the watermark passes every session above
    assertThat(await(() -> structs(grpc, "sessions"), 2))
        .extracting(
            s ->
                offset(s, t)
                    + " c="
                    + (long) s.getFieldsOrThrow("c").getNumberValue()
                    + " s="
                    + (long) s.getFieldsOrThrow("s").getNumberValue())
        .containsExactlyInAnyOrder("1000 c=2 s=3", "20000 c=1 s=4");
  }

  /** A window's start as milliseconds after {@code t}. */
  private static long offset(Struct row, long t) {
    String start = row.getFieldsOrThrow("window_start").getStringValue();
    assertThat(start).as("an ISO-8601 date-time with seconds").hasSizeGreaterThanOrEqualTo(19);
    java.time.Instant instant =
        start.endsWith("Z")
            ? java.time.Instant.parse(start)
            : java.time.LocalDateTime.parse(start).toInstant(java.time.ZoneOffset.UTC);
    return instant.toEpochMilli() - t;
  }

  @Test
  void a_stream_stream_join_within_an_interval() throws Exception {
    long t = base();
    execute(grpc, "CREATE STREAM air;");
    // Before the query, so that its columns are typed from a record (a field seen nowhere is text).
    execute(grpc, "INSERT INTO air (city, ts, level) VALUES ('j1', " + (t + 1500) + ", 7);");
    execute(
        grpc,
        "CREATE STREAM joined AS SELECT m.device, m.v, a.level FROM mqtt AS m"
            + " JOIN air AS a ON m.device = a.city WITHIN (INTERVAL 5 SECOND);");
    mqtt.publish("j1", t + 1000, 1); // 0.5 s from the air record: joins
    mqtt.publish("j1", t + 30_000, 2); // 28.5 s: does not
    mqtt.publish("j2", t + 1200, 3); // no air record for j2
    List<Struct> joined = await(() -> structs(grpc, "joined"), 1);
    assertThat(joined)
        .extracting(
            s ->
                s.getFieldsOrThrow("device").getStringValue()
                    + " v="
                    + (long) s.getFieldsOrThrow("v").getNumberValue()
                    + " level="
                    + (long) s.getFieldsOrThrow("level").getNumberValue())
        .containsExactly("j1 v=1 level=7");
  }

  @Test
  void bad_statements_leave_the_node_serving() throws Exception {
    // Does not parse; does not plan (a sum of strings); not a query; unknown names.
    GrpcClient.assertFails(
        () -> execute(grpc, "CREATE STREAM broken AS SELECT FROM mqtt;"),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.QueryInvalidSQL);
    var plan =
        GrpcClient.assertFails(
            () ->
                execute(
                    grpc, "CREATE STREAM broken AS SELECT SUM(device) AS s FROM mqtt GROUP BY v;"),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.QueryInvalidSQL);
    assertThat(plan.get("message").asText()).contains("does not plan");
    GrpcClient.assertFails(
        () ->
            grpc.stub()
                .createQuery(CreateQueryRequest.newBuilder().setSql("SHOW STREAMS;").build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.QueryInvalidSQL);
    GrpcClient.assertFails(
        () -> execute(grpc, "PAUSE QUERY nosuch;"), Status.Code.NOT_FOUND, ErrorCode.QueryNotFound);
    GrpcClient.assertFails(
        () -> execute(grpc, "EXPLAIN SELECT a FROM nosuch EMIT CHANGES;"),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
    assertThat(streamNames()).doesNotContain("broken");
    assertThat(grpc.stub().listQueries(ListQueriesRequest.getDefaultInstance()).getQueriesList())
        .extracting(Query::getResultName)
        .doesNotContain("broken");

    // And the node still runs queries.
    long t = base();
    execute(grpc, "CREATE STREAM after_errors AS SELECT device, v FROM mqtt WHERE device = 'ok';");
    mqtt.publish("ok", t + 1000, 42);
    assertThat(await(() -> structs(grpc, "after_errors"), 1))
        .extracting(s -> (long) s.getFieldsOrThrow("v").getNumberValue())
        .containsExactly(42L);
  }

  @Test
  void flink_sql_tables_inserts_and_push_queries() throws Exception {
    long t = base();
    execute(grpc, "CREATE STREAM fl_out;");
    assertThat(
            execute(
                grpc,
                "FLINK CREATE TABLE fl_sink (device STRING, v BIGINT)"
                    + " WITH ('connector' = 'inlet', 'stream' = 'fl_out');"))
        .extracting(r -> r.getFieldsOrThrow("table").getStringValue())
        .containsExactly("fl_sink");
    assertThat(execute(grpc, "FLINK SHOW TABLES;"))
        .extracting(r -> r.getFieldsOrThrow("table").getStringValue())
        .contains("fl_sink", "mqtt", "fl_out");
    List<Struct> insert =
        execute(grpc, "FLINK INSERT INTO fl_sink SELECT device, v FROM mqtt WHERE device = 'fl';");
    assertThat(insert).hasSize(1);
    Query flinkWindow =
        grpc.stub()
            .withDeadlineAfter(120, TimeUnit.SECONDS)
            .createQuery(
                CreateQueryRequest.newBuilder()
                    .setQueryName("fl_windows")
                    .setSql(
                        "FLINK SELECT window_start, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE mqtt,"
                            + " DESCRIPTOR(__event_time), INTERVAL '10' SECOND))"
                            + " WHERE device = 'fl' GROUP BY window_start, window_end")
                    .build());
    assertThat(flinkWindow.getResultName()).isEqualTo("fl_windows");
    assertThat(
            execute(grpc, "FLINK EXPLAIN SELECT device FROM mqtt WHERE v > 1")
                .get(0)
                .getFieldsOrThrow("plan")
                .getStringValue())
        .contains("TableSourceScan");

    mqtt.publish("fl", t + 1000, 1);
    mqtt.publish("fl", t + 2000, 2);
    mqtt.publish("fl", t + 30_000, 3); // closes the first window
    assertThat(await(() -> structs(grpc, "fl_out"), 3))
        .extracting(s -> (long) s.getFieldsOrThrow("v").getNumberValue())
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(await(() -> structs(grpc, "fl_windows"), 1))
        .extracting(s -> offset(s, t) + " c=" + (long) s.getFieldsOrThrow("c").getNumberValue())
        .containsExactly("0 c=2");

    // What is refused says what and why.
    var other =
        GrpcClient.assertFails(
            () -> execute(grpc, "FLINK CREATE TABLE gen (a INT) WITH ('connector' = 'datagen')"),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.QueryInvalidSQL);
    assertThat(other.get("message").asText()).contains("inlet connector").contains("datagen");
    var function =
        GrpcClient.assertFails(
            () -> execute(grpc, "FLINK CREATE FUNCTION f AS 'x.Y'"),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.QueryInvalidSQL);
    assertThat(function.get("message").asText()).contains("CREATE FUNCTION").contains("not run");
    var select =
        GrpcClient.assertFails(
            () -> execute(grpc, "FLINK SELECT * FROM mqtt"),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.QueryInvalidSQL);
    assertThat(select.get("message").asText()).contains("CreateQuery");
    var plan =
        GrpcClient.assertFails(
            () -> execute(grpc, "FLINK INSERT INTO fl_sink SELECT nosuchcolumn FROM mqtt"),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.QueryInvalidSQL);
    assertThat(plan.get("message").asText()).contains("nosuchcolumn");

    execute(grpc, "FLINK DROP TABLE fl_sink");
    execute(grpc, "FLINK DROP TABLE IF EXISTS fl_sink");
    assertThat(execute(grpc, "FLINK SHOW TABLES;"))
        .extracting(r -> r.getFieldsOrThrow("table").getStringValue())
        .doesNotContain("fl_sink");
    // The query that writes it keeps its own copy of the table.
    mqtt.publish("fl", t + 40_000, 4);
    assertThat(await(() -> structs(grpc, "fl_out"), 4)).hasSize(4);
  }

  private List<String> streamNames() {
    return grpc
        .stub()
        .listStreams(ListStreamsRequest.getDefaultInstance())
        .getStreamsList()
        .stream()
        .map(s -> s.getStreamName())
        .toList();
  }
}
