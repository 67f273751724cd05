package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.sql.statement.ObjectKind;
import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.Show;
import org.junit.jupiter.api.Test;

class SqlParserSmokeTest {
  @Test
  void push_select_translates_to_flink_sql() throws Exception {
    PushSelect push =
        (PushSelect) SqlParser.parse("SELECT a, b + 1 AS c FROM s WHERE a > 1 EMIT CHANGES;");
    assertThat(push.query().flinkSql())
        .isEqualTo("SELECT `a`, (`b` + 1) AS `c` FROM `s` WHERE (`a` > 1)");
    assertThat(push.query().columnsByStream()).containsOnlyKeys("s");
    assertThat(push.query().columnsByStream().get("s")).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void show_streams() throws Exception {
    assertThat(SqlParser.parse("show streams;")).isEqualTo(new Show(ObjectKind.STREAM));
  }

  @Test
  void error_has_position() {
    assertThatThrownBy(() -> SqlParser.parse("SELECT a\nFORM s;"))
        .isInstanceOfSatisfying(
            SqlParseException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(1);
              assertThat(e.expected()).isEqualTo("FROM");
            });
  }
}
