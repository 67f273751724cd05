package io.inlet.sql.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.sql.parse.SqlParseException;
import io.inlet.sql.parse.SqlParser;
import io.inlet.sql.statement.PullSelect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pull queries parsed as a user writes them and run over a view's stored rows. */
class PullPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NAMES =
      List.of("device", "total", "avg_t", "info", "seen", "ok");
  private static final List<String> TYPES =
      List.of("STRING", "BIGINT", "DOUBLE", "STRING", "TIMESTAMP(3)", "BOOLEAN");
  private static final List<ObjectNode> ROWS =
      List.of(
          row(
              "{\"device\":\"a\",\"total\":5,\"avg_t\":1.5,"
                  + "\"info\":\"{\\\"city\\\":\\\"Paris\\\",\\\"tags\\\":[\\\"x\\\",\\\"y\\\"],\\\"n\\\":3}\","
                  + "\"seen\":\"2026-12-03T10:00:00\",\"ok\":true}"),
          row(
              "{\"device\":\"b\",\"total\":null,\"avg_t\":2.0,"
                  + "\"info\":\"{\\\"city\\\":\\\"Lyon\\\"}\",\"seen\":\"2026-12-03T11:00:00\","
                  + "\"ok\":false}"),
          row(
              "{\"device\":null,\"total\":7,\"avg_t\":null,\"info\":null,\"seen\":null,"
                  + "\"ok\":null}"));

  private static ObjectNode row(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static PullPlan plan(String sql) throws SqlParseException {
    return PullPlan.plan((PullSelect) SqlParser.parse(sql), NAMES, TYPES);
  }

  private static List<Struct> run(String sql) throws SqlParseException {
    return plan(sql).run(ROWS);
  }

  /** Each result row as a map of plain Java values (null for NULL). */
  private static List<Map<String, Object>> rows(String sql) throws SqlParseException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Struct s : run(sql)) {
      Map<String, Object> m = new LinkedHashMap<>();
      s.getFieldsMap().forEach((k, v) -> m.put(k, plain(v)));
      out.add(m);
    }
    return out;
  }

  private static Object plain(Value v) {
    return switch (v.getKindCase()) {
      case NUMBER_VALUE -> v.getNumberValue();
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      default -> null;
    };
  }

  private static List<Object> column(String sql, String name) throws SqlParseException {
    List<Object> out = new ArrayList<>();
    rows(sql).forEach(r -> out.add(r.get(name)));
    return out;
  }

  @Test
  void star_returns_every_column_of_every_row() throws Exception {
    List<Map<String, Object>> rows = rows("SELECT * FROM v;");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0))
        .containsEntry("device", "a")
        .containsEntry("total", 5.0)
        .containsEntry("avg_t", 1.5)
        .containsEntry("seen", "2026-12-03T10:00:00")
        .containsEntry("ok", true);
    assertThat(rows.get(2).keySet()).containsExactlyElementsOf(NAMES);
    assertThat(rows.get(2).values()).containsExactly(null, 7.0, null, null, null, null);
    assertThat(plan("SELECT * FROM v").columnNames()).containsExactlyElementsOf(NAMES);
  }

  @Test
  void where_on_null_columns_follows_three_valued_logic() throws Exception {
    assertThat(rows("SELECT device FROM v WHERE total = NULL")).isEmpty();
    assertThat(rows("SELECT device FROM v WHERE total <> 5")).hasSize(1);
    assertThat(column("SELECT device FROM v WHERE total IS NULL", "device")).containsExactly("b");
    assertThat(column("SELECT total FROM v WHERE total IS NOT NULL", "total"))
        .containsExactly(5.0, 7.0);
    assertThat(column("SELECT device FROM v WHERE NOT (total > 5)", "device")).containsExactly("a");
    assertThat(column("SELECT total FROM v WHERE total > 5 OR device = 'b'", "total"))
        .containsExactly(null, 7.0);
    assertThat(column("SELECT device FROM v WHERE ok AND total = 5", "device"))
        .containsExactly("a");
    assertThat(column("SELECT device FROM v WHERE NOT ok", "device")).containsExactly("b");
    assertThat(rows("SELECT device FROM v WHERE device = 'a' AND NULL")).isEmpty();
    assertThat(column("SELECT device FROM v WHERE device = 'a' OR NULL", "device"))
        .containsExactly("a");
  }

  @Test
  void between_and_its_forms() throws Exception {
    assertThat(column("SELECT total FROM v WHERE total BETWEEN 5 AND 7", "total"))
        .containsExactly(5.0, 7.0);
    assertThat(column("SELECT total FROM v WHERE total NOT BETWEEN 6 AND 10", "total"))
        .containsExactly(5.0);
    assertThat(rows("SELECT total FROM v WHERE total BETWEEN 7 AND 5")).isEmpty();
    assertThat(column("SELECT total FROM v WHERE total BETWEEN SYMMETRIC 7 AND 5", "total"))
        .containsExactly(5.0, 7.0);
    assertThat(column("SELECT device FROM v WHERE avg_t BETWEEN 1 AND 1.5", "device"))
        .containsExactly("a");
  }

  @Test
  void items_are_named_by_alias_column_or_text() throws Exception {
    List<Map<String, Object>> rows =
        rows("SELECT device AS d, total * 2, total / 2, avg_t + 1 FROM v WHERE device = 'a'");
    assertThat(rows)
        .containsExactly(Map.of("d", "a", "total * 2", 10.0, "total / 2", 2.0, "avg_t + 1", 2.5));
    assertThat(plan("SELECT device AS d, total * 2 FROM v").columnNames())
        .containsExactly("d", "total * 2");
  }

  @Test
  void a_view_alias_qualifies_columns() throws Exception {
    assertThat(column("SELECT x.device FROM v AS x WHERE x.total = 5", "device"))
        .containsExactly("a");
    assertThat(rows("SELECT x.* FROM v AS x WHERE x.total = 7").get(0)).hasSize(6);
    assertThatThrownBy(() -> plan("SELECT y.device FROM v AS x"))
        .isInstanceOf(SqlParseException.class)
        .hasMessageContaining("unknown stream or alias y");
  }

  @Test
  void json_access_reads_fields_of_json_text() throws Exception {
    String where = " FROM v WHERE device = 'a'";
    assertThat(column("SELECT info->>'city' AS c" + where, "c")).containsExactly("Paris");
    assertThat(column("SELECT info->'tags' AS c" + where, "c")).containsExactly("[\"x\",\"y\"]");
    assertThat(column("SELECT info->>'tags' AS c" + where, "c")).containsExactly((Object) null);
    assertThat(column("SELECT info->'tags'->>1 AS c" + where, "c")).containsExactly("y");
    assertThat(column("SELECT info #>> '{tags,0}' AS c" + where, "c")).containsExactly("x");
    assertThat(column("SELECT info->'n' AS c" + where, "c")).containsExactly("3");
    assertThat(column("SELECT CAST(info->'n' AS INTEGER) + 1 AS c" + where, "c"))
        .containsExactly(4.0);
    assertThat(column("SELECT info->>'missing' AS c" + where, "c")).containsExactly((Object) null);
    assertThat(column("SELECT device FROM v WHERE info->>'city' = 'Lyon'", "device"))
        .containsExactly("b");
  }

  @Test
  void timestamps_compare_with_literals_and_strings() throws Exception {
    assertThat(
            column("SELECT device FROM v WHERE seen >= TIMESTAMP '2026-12-03 10:30:00'", "device"))
        .containsExactly("b");
    assertThat(column("SELECT device FROM v WHERE seen < '2026-12-03 10:30:00'", "device"))
        .containsExactly("a");
    assertThat(column("SELECT CAST(seen AS DATE) AS d FROM v WHERE ok", "d"))
        .containsExactly("2026-12-03");
  }

  @Test
  void casts_and_scalar_functions() throws Exception {
    String a = " FROM v WHERE device = 'a'";
    assertThat(rows("SELECT TO_UPPER(device) AS u, STRLEN(device) AS n" + a))
        .containsExactly(Map.of("u", "A", "n", 1.0));
    assertThat(column("SELECT IFNULL(total, 0) AS t FROM v", "t")).containsExactly(5.0, 0.0, 7.0);
    assertThat(column("SELECT NULLIF(total, 5) AS t FROM v", "t")).containsExactly(null, null, 7.0);
    assertThat(column("SELECT ROUND(avg_t) AS r" + a, "r")).containsExactly(2.0);
    assertThat(column("SELECT ABS(-total) AS r" + a, "r")).containsExactly(5.0);
    assertThat(column("SELECT IS_INT(total) AS r FROM v", "r")).containsExactly(true, false, true);
    assertThat(column("SELECT TO_STR(ok) AS r" + a, "r")).containsExactly("TRUE");
    assertThat(column("SELECT total::FLOAT / 2 AS r" + a, "r")).containsExactly(2.5);
    assertThat(column("SELECT SQRT(total - 1) AS r" + a, "r")).containsExactly(2.0);
  }

  @Test
  void constructs_it_does_not_run_are_refused_by_name_and_position() {
    assertThatThrownBy(() -> plan("SELECT COUNT(*) FROM v"))
        .isInstanceOf(SqlParseException.class)
        .hasMessageStartingWith("line 1, column 8: aggregate function COUNT is not supported");
    assertThatThrownBy(() -> plan("SELECT device FROM v GROUP BY device"))
        .hasMessageContaining("GROUP BY is not supported in a pull query");
    assertThatThrownBy(() -> plan("SELECT SPLIT(device, ',') FROM v"))
        .hasMessageContaining("function SPLIT is not supported in a pull query");
    assertThatThrownBy(() -> plan("SELECT device FROM v WHERE seen > INTERVAL 1 SECOND"))
        .hasMessageContaining("INTERVAL values are not supported");
    assertThatThrownBy(() -> plan("SELECT CAST(device AS INTEGER[]) FROM v"))
        .hasMessageContaining("CAST to INTEGER[] is not supported");
  }

  @Test
  void type_errors_and_unknown_columns_are_refused_before_reading_rows() {
    assertThatThrownBy(() -> plan("SELECT device FROM v WHERE device = 5"))
        .isInstanceOf(SqlParseException.class)
        .hasMessage("line 1, column 28: cannot compare STRING with NUMBER");
    assertThatThrownBy(() -> plan("SELECT nope FROM v"))
        .hasMessageContaining("view v has no column nope");
    assertThatThrownBy(() -> plan("SELECT total + device FROM v"))
        .hasMessageContaining("+ takes NUMBER, found STRING");
    assertThatThrownBy(() -> plan("SELECT device FROM v WHERE total"))
        .hasMessageContaining("WHERE takes a condition, found NUMBER");
    assertThatThrownBy(() -> plan("SELECT device FROM v WHERE ok AND total"))
        .hasMessageContaining("AND takes BOOLEAN, found NUMBER");
    assertThatThrownBy(() -> plan("SELECT CAST(seen AS INTEGER) FROM v"))
        .hasMessageContaining("cannot cast TIMESTAMP to INTEGER");
  }

  @Test
  void a_value_that_fails_an_operation_is_an_error_not_a_null() {
    assertThatThrownBy(() -> run("SELECT CAST(device AS INTEGER) FROM v"))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessage("cannot cast STRING 'a' to INTEGER");
    assertThatThrownBy(() -> run("SELECT total / 0 FROM v"))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessage("division by zero: 5 / 0");
  }

  @Test
  void ten_thousand_rows_are_filtered_exactly() throws Exception {
    List<ObjectNode> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ObjectNode r = JSON.createObjectNode();
      r.put("device", "d" + i);
      if (i % 10 == 0) {
        r.putNull("total");
      } else {
        r.put("total", i);
      }
      many.add(r);
    }
    List<Struct> out =
        PullPlan.plan(
                (PullSelect) SqlParser.parse("SELECT device FROM v WHERE total >= 5000"),
                List.of("device", "total"),
                List.of("STRING", "BIGINT"))
            .run(many);
    assertThat(out).hasSize(4500);
    assertThat(out.get(0).getFieldsOrThrow("device").getStringValue()).isEqualTo("d5001");
  }
}
