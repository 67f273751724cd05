package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.sql.statement.PushSelect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TAKE, TAKEEND, DROP, DROPEND and the IS_* type tests, translated and run by Flink (a batch job
 * over one row whose field a is a JSON array's text, as a record's array field is).
 */
class ArrayAndTypeFunctionsRunTest {
  private static TableEnvironment env;

  @BeforeAll
  static void table() {
    env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    env.executeSql(
        "CREATE TEMPORARY VIEW s AS SELECT * FROM (VALUES ('[\"a\",\"b\",\"c\"]', CAST(2 AS BIGINT),"
            + " 1.5, TRUE, 'text', DATE '2024-05-01', TIME '10:00:00', CAST(NULL AS BIGINT)))"
            + " AS t(a, n, f, b, s, d, tm, missing)");
  }

  /** The values of the select items, run by Flink. */
  private static List<Object> run(String items) throws Exception {
    String flink =
        ((PushSelect) SqlParser.parse("SELECT " + items + " FROM s EMIT CHANGES;"))
            .query()
            .flinkSql();
    List<Object> out = new ArrayList<>();
    try (CloseableIterator<Row> rows = env.executeSql(flink).collect()) {
      Row row = rows.next();
      for (int i = 0; i < row.getArity(); i++) {
        Object v = row.getField(i);
        out.add(v instanceof Object[] array ? Arrays.asList(array) : v);
      }
    }
    return out;
  }

  @Test
  void take_and_drop_from_either_end() throws Exception {
    assertThat(
            run(
                "TAKE(2, a) AS t2, TAKE(0, a) AS t0, TAKE(9, a) AS t9, TAKE(n, a) AS tn,"
                    + " TAKEEND(2, a) AS e2, TAKEEND(-1, a) AS e0, TAKEEND(3, a) AS e3"))
        .containsExactly(
            List.of("a", "b"),
            List.of(),
            List.of("a", "b", "c"),
            List.of("a", "b"),
            List.of("b", "c"),
            List.of(),
            List.of("a", "b", "c"));
    assertThat(
            run(
                "DROP(1, a) AS d1, DROP(0, a) AS d0, DROP(3, a) AS d3, DROPEND(1, a) AS f1,"
                    + " DROPEND(5, a) AS f5, DROPEND(-2, a) AS f0, TAKE(missing, a) AS nothing"))
        .containsExactly(
            List.of("b", "c"),
            List.of("a", "b", "c"),
            List.of(),
            List.of("a", "b"),
            List.of(),
            List.of("a", "b", "c"),
            null);
  }

  @Test
  void type_tests_see_the_type_the_engine_gave_the_value() throws Exception {
    assertThat(
            run(
                "IS_INT(n) AS a1, IS_INT(f) AS a2, IS_FLOAT(f) AS b1, IS_FLOAT(n) AS b2,"
                    + " IS_NUM(n) AS c1, IS_NUM(s) AS c2, IS_BOOL(b) AS d1, IS_STR(s) AS e1,"
                    + " IS_STR(n) AS e2, IS_DATE(d) AS f1, IS_TIME(tm) AS g1, IS_TIME(d) AS g2,"
                    + " IS_INT(missing) AS h1"))
        .containsExactly(
            true, false, true, false, true, false, true, true, false, true, true, false, false);
  }
}
