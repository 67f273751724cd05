package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.sql.statement.CreateConnector;
import io.inlet.sql.statement.CreateStream;
import io.inlet.sql.statement.CreateStreamAs;
import io.inlet.sql.statement.CreateView;
import io.inlet.sql.statement.Drop;
import io.inlet.sql.statement.Explain;
import io.inlet.sql.statement.FlinkStatement;
import io.inlet.sql.statement.InsertSelect;
import io.inlet.sql.statement.InsertValues;
import io.inlet.sql.statement.ObjectKind;
import io.inlet.sql.statement.PauseResume;
import io.inlet.sql.statement.PullSelect;
import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.Show;
import io.inlet.sql.statement.TerminateQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every statement form of SQL-v1.cf, and the FLINK passthrough. */
class StatementFormsTest {

  @Test
  void create_stream_plain_and_with_options() throws Exception {
    assertThat(SqlParser.parse("CREATE STREAM s;"))
        .isEqualTo(new CreateStream("s", 1, Optional.empty()));
    assertThat(
            SqlParser.parse(
                "create stream \"my stream\" with (REPLICATE = 3, DURATION = INTERVAL 2 DAY);"))
        .isEqualTo(new CreateStream("my stream", 3, Optional.of(Duration.ofDays(2))));
    assertThat(SqlParser.parse("CREATE STREAM s WITH (DURATION = INTERVAL 1 MONTH)"))
        .isEqualTo(new CreateStream("s", 1, Optional.of(Duration.ofDays(30))));
  }

  @Test
  void create_stream_as_select_with_replicate() throws Exception {
    CreateStreamAs created =
        (CreateStreamAs)
            SqlParser.parse(
                "CREATE STREAM hot AS SELECT * FROM weather WHERE temp > 30 WITH (REPLICATE = 2);");
    assertThat(created.name()).isEqualTo("hot");
    assertThat(created.replicationFactor()).isEqualTo(2);
    assertThat(created.query().flinkSql()).isEqualTo("SELECT * FROM `weather` WHERE (`temp` > 30)");
    assertThat(created.query().originalSql())
        .isEqualTo(
            "CREATE STREAM hot AS SELECT * FROM weather WHERE temp > 30 WITH (REPLICATE = 2);");
  }

  @Test
  void create_view() throws Exception {
    CreateView view =
        (CreateView) SqlParser.parse("CREATE VIEW v AS SELECT a, COUNT(*) AS n FROM s GROUP BY a;");
    assertThat(view.name()).isEqualTo("v");
    assertThat(view.query().flinkSql())
        .isEqualTo("SELECT `a`, COUNT(*) AS `n` FROM `s` GROUP BY `a`");
    assertThat(view.query().updating()).isTrue();
    assertThat(view.query().outputColumns()).containsExactly("a", "n");
  }

  @Test
  void create_source_and_sink_connectors() throws Exception {
    assertThat(
            SqlParser.parse(
                "CREATE SOURCE CONNECTOR src FROM mysql WITH (host = '127.0.0.1', port = 3306,"
                    + " \"table.name\" = 'orders', ssl = FALSE);"))
        .isEqualTo(
            new CreateConnector(
                "src",
                true,
                "mysql",
                Map.of("host", "127.0.0.1", "port", "3306", "table.name", "orders", "ssl", "false"),
                false));
    CreateConnector sink =
        (CreateConnector)
            SqlParser.parse(
                "CREATE SINK CONNECTOR out TO postgresql IF NOT EXIST WITH (stream = 's');");
    assertThat(sink.source()).isFalse();
    assertThat(sink.type()).isEqualTo("postgresql");
    assertThat(sink.ifNotExists()).isTrue();
    assertThat(sink.options()).isEqualTo(Map.of("stream", "s"));
  }

  @Test
  void push_select() throws Exception {
    PushSelect push = (PushSelect) SqlParser.parse("SELECT * FROM s EMIT CHANGES;");
    assertThat(push.query().flinkSql()).isEqualTo("SELECT * FROM `s`");
    assertThat(push.query().columnsByStream()).isEqualTo(Map.of("s", java.util.Set.of("*")));
    assertThat(push.query().outputColumns()).containsExactly("*");
    assertThat(push.query().updating()).isFalse();
  }

  @Test
  void pull_select_on_a_view() throws Exception {
    PullSelect star = (PullSelect) SqlParser.parse("SELECT * FROM v WHERE k = 'x';");
    assertThat(star.view()).isEqualTo("v");
    assertThat(star.flinkSql()).isEqualTo("SELECT * FROM `v` WHERE (`k` = 'x')");
    assertThat(star.originalSql()).isEqualTo("SELECT * FROM v WHERE k = 'x';");
    assertThat(star.columnNames()).containsExactly("*");
    PullSelect pull = (PullSelect) SqlParser.parse("SELECT k, cnt FROM v");
    assertThat(pull.flinkSql()).isEqualTo("SELECT `k`, `cnt` FROM `v`");
    assertThat(pull.columnNames()).containsExactly("k", "cnt");
  }

  @Test
  void insert_columns_and_values_is_a_json_record() throws Exception {
    InsertValues insert =
        (InsertValues)
            SqlParser.parse(
                "INSERT INTO weather (city, temp, ok, tags, note, at) VALUES"
                    + " ('Paris \"center\"', -1.50, TRUE, {1, 2}, NULL, DATE '2024-01-02');");
    assertThat(insert.stream()).isEqualTo("weather");
    assertThat(insert.json()).isTrue();
    assertThat(new String(insert.payload(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"city\":\"Paris \\\"center\\\"\",\"temp\":-1.50,\"ok\":true,\"tags\":[1,2],"
                + "\"note\":null,\"at\":\"2024-01-02\"}");
  }

  @Test
  void insert_json_and_raw() throws Exception {
    InsertValues json =
        (InsertValues) SqlParser.parse("INSERT INTO s VALUES '{\"a\": 1, \"b\": [true]}'::JSONB;");
    assertThat(json.json()).isTrue();
    assertThat(new String(json.payload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\": 1, \"b\": [true]}");
    InsertValues raw =
        (InsertValues) SqlParser.parse("INSERT INTO s VALUES CAST('hello' AS BYTEA);");
    assertThat(raw.json()).isFalse();
    assertThat(raw.payload()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void insert_select() throws Exception {
    InsertSelect insert = (InsertSelect) SqlParser.parse("INSERT INTO out SELECT a FROM s;");
    assertThat(insert.stream()).isEqualTo("out");
    assertThat(insert.query().flinkSql()).isEqualTo("SELECT `a` FROM `s`");
  }

  @Test
  void show_every_kind() throws Exception {
    assertThat(SqlParser.parse("SHOW QUERIES;")).isEqualTo(new Show(ObjectKind.QUERY));
    assertThat(SqlParser.parse("show streams")).isEqualTo(new Show(ObjectKind.STREAM));
    assertThat(SqlParser.parse("SHOW VIEWS;")).isEqualTo(new Show(ObjectKind.VIEW));
    assertThat(SqlParser.parse("SHOW CONNECTORS;")).isEqualTo(new Show(ObjectKind.CONNECTOR));
  }

  @Test
  void drop_every_kind_with_and_without_if_exists() throws Exception {
    assertThat(SqlParser.parse("DROP STREAM s;"))
        .isEqualTo(new Drop(ObjectKind.STREAM, "s", false));
    assertThat(SqlParser.parse("DROP VIEW v IF EXISTS;"))
        .isEqualTo(new Drop(ObjectKind.VIEW, "v", true));
    assertThat(SqlParser.parse("DROP QUERY IF EXISTS q;"))
        .isEqualTo(new Drop(ObjectKind.QUERY, "q", true));
    assertThat(SqlParser.parse("DROP CONNECTOR c;"))
        .isEqualTo(new Drop(ObjectKind.CONNECTOR, "c", false));
  }

  @Test
  void terminate_pause_resume() throws Exception {
    assertThat(SqlParser.parse("TERMINATE QUERY q1;")).isEqualTo(new TerminateQuery("q1"));
    assertThat(SqlParser.parse("PAUSE QUERY q1;"))
        .isEqualTo(new PauseResume(ObjectKind.QUERY, "q1", true));
    assertThat(SqlParser.parse("RESUME CONNECTOR c;"))
        .isEqualTo(new PauseResume(ObjectKind.CONNECTOR, "c", false));
  }

  @Test
  void explain_select_and_create() throws Exception {
    Explain select = (Explain) SqlParser.parse("EXPLAIN SELECT a FROM s;");
    assertThat(((PushSelect) select.statement()).query().flinkSql())
        .isEqualTo("SELECT `a` FROM `s`");
    Explain create = (Explain) SqlParser.parse("EXPLAIN CREATE STREAM t AS SELECT a FROM s;");
    assertThat(create.statement()).isInstanceOf(CreateStreamAs.class);
  }

  @Test
  void flink_prefix_passes_the_statement_through() throws Exception {
    assertThat(SqlParser.parse("  flink SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE) FROM t ;  "))
        .isEqualTo(new FlinkStatement("SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE) FROM t"));
    assertThat(SqlParser.parse("/* c */ FLINK\nSHOW TABLES;"))
        .isEqualTo(new FlinkStatement("SHOW TABLES"));
  }

  @Test
  void comments_and_case_are_ignored() throws Exception {
    assertThat(SqlParser.parse("// list\nsHoW /* every */ StReAmS -- please\n;"))
        .isEqualTo(new Show(ObjectKind.STREAM));
  }
}
