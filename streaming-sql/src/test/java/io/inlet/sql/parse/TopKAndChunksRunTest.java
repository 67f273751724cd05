package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.sql.functions.InletFunctions;
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
 * TOPK, TOPKDISTINCT and CHUNKSOF, translated from HStreamDB's SQL and run by Flink: the aggregates
 * by group and the scalar over a few rows, in a batch job.
 */
class TopKAndChunksRunTest {
  private static TableEnvironment batch;

  @BeforeAll
  static void tables() {
    batch = InletFunctions.registerIn(TableEnvironment.create(EnvironmentSettings.inBatchMode()));
    batch.executeSql(
        "CREATE TEMPORARY VIEW s AS SELECT * FROM (VALUES ('x', 5, '[\"a\",\"b\",\"c\"]'),"
            + " ('x', 9, '[]'), ('x', 9, '[]'), ('x', 1, '[]'), ('x', CAST(NULL AS INT), '[]'),"
            + " ('y', 2, '[]')) AS t(k, v, a)");
  }

  /** Each result row's values, ordered by the first column. */
  private static List<List<Object>> run(TableEnvironment env, String hstreamSql) throws Exception {
    String flink = ((PushSelect) SqlParser.parse(hstreamSql)).query().flinkSql();
    List<List<Object>> out = new ArrayList<>();
    try (CloseableIterator<Row> rows = env.executeSql(flink).collect()) {
      rows.forEachRemaining(
          row -> {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
              values.add(deep(row.getField(i)));
            }
            out.add(values);
          });
    }
    out.sort((a, b) -> String.valueOf(a.get(0)).compareTo(String.valueOf(b.get(0))));
    return out;
  }

  private static Object deep(Object v) {
    if (v instanceof Object[] array) {
      return Arrays.stream(array).map(TopKAndChunksRunTest::deep).toList();
    }
    return v;
  }

  @Test
  void topk_keeps_repeats_and_topkdistinct_does_not() throws Exception {
    assertThat(
            run(
                batch,
                "SELECT k, TOPK(v, 3) AS top, TOPKDISTINCT(v, 3) AS dtop, TOPK(v, 0) AS none"
                    + " FROM s GROUP BY k EMIT CHANGES;"))
        .containsExactly(
            List.of("x", List.of(9.0, 9.0, 5.0), List.of(9.0, 5.0, 1.0), List.of()),
            List.of("y", List.of(2.0), List.of(2.0), List.of()));
  }

  @Test
  void chunksof_cuts_an_array_into_arrays_of_n() throws Exception {
    assertThat(
            run(
                batch,
                "SELECT k, CHUNKSOF(2, a) AS c2, CHUNKSOF(5, a) AS c5, CHUNKSOF(0, a) AS c0"
                    + " FROM s WHERE v = 5 EMIT CHANGES;"))
        .containsExactly(
            Arrays.asList(
                "x",
                List.of(List.of("a", "b"), List.of("c")),
                List.of(List.of("a", "b", "c")),
                null));
  }
}
