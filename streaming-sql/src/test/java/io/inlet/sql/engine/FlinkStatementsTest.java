package io.inlet.sql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.InletException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlinkStatementsTest {
  @Test
  void kinds_the_engine_runs() {
    assertThat(FlinkStatements.kind("create table t (a INT) WITH ('connector' = 'inlet')"))
        .isEqualTo(FlinkStatements.Kind.CREATE_TABLE);
    assertThat(FlinkStatements.kind("DROP TABLE IF EXISTS `my t`"))
        .isEqualTo(FlinkStatements.Kind.DROP_TABLE);
    assertThat(FlinkStatements.kind("SHOW TABLES")).isEqualTo(FlinkStatements.Kind.SHOW_TABLES);
    assertThat(FlinkStatements.kind("SELECT 1")).isEqualTo(FlinkStatements.Kind.SELECT);
    assertThat(FlinkStatements.kind("WITH x AS (SELECT 1) SELECT * FROM x"))
        .isEqualTo(FlinkStatements.Kind.SELECT);
    assertThat(FlinkStatements.kind("INSERT INTO t\nSELECT a FROM s"))
        .isEqualTo(FlinkStatements.Kind.INSERT);
    assertThat(FlinkStatements.kind("EXPLAIN SELECT 1")).isEqualTo(FlinkStatements.Kind.EXPLAIN);
  }

  @Test
  void anything_else_is_refused_by_its_first_words() {
    assertThatThrownBy(() -> FlinkStatements.kind("create function f AS 'a.B'"))
        .isInstanceOf(InletException.class)
        .hasMessageContaining("CREATE FUNCTION")
        .hasMessageContaining("not run here");
    assertThatThrownBy(() -> FlinkStatements.kind("SET 'a' = 'b'")).hasMessageContaining("SET 'A'");
  }

  @Test
  void names_and_targets() {
    assertThat(FlinkStatements.dropTable("DROP TABLE IF EXISTS `my t`"))
        .isEqualTo(new FlinkStatements.DropTable("my t", true));
    assertThat(FlinkStatements.dropTable("drop table t"))
        .isEqualTo(new FlinkStatements.DropTable("t", false));
    assertThat(FlinkStatements.insertTarget("INSERT INTO `out` SELECT 1")).isEqualTo("out");
    assertThat(FlinkStatements.explained("EXPLAIN SELECT a FROM s")).isEqualTo("SELECT a FROM s");
  }

  @Test
  void streams_are_the_names_that_are_streams_outside_string_literals() {
    Set<String> streams = Set.of("weather", "air", "my-stream", "text");
    assertThat(
            FlinkStatements.streamsNamed(
                "SELECT w.city FROM weather AS w JOIN `my-stream` m ON w.city = m.city"
                    + " WHERE w.note <> 'air' AND text_x = 1",
                streams::contains))
        .containsExactly("weather", "my-stream");
  }
}
