package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.sql.statement.PushSelect;
import org.junit.jupiter.api.Test;

/** Expressions, JSON access, casts and functions in Flink SQL (each planned by Flink 2.3.0). */
class ExpressionTranslationTest {

  /** The Flink SQL of one select item over stream s. */
  private static String item(String expr) throws SqlParseException {
    String sql =
        ((PushSelect) SqlParser.parse("SELECT " + expr + " FROM s EMIT CHANGES;"))
            .query()
            .flinkSql();
    String prefix = "SELECT ";
    String suffix = " FROM `s`";
    assertThat(sql).startsWith(prefix).endsWith(suffix);
    String body = sql.substring(prefix.length(), sql.length() - suffix.length());
    int alias = body.lastIndexOf(" AS `");
    return alias < 0 ? body : body.substring(0, alias);
  }

  private static String where(String condition) throws SqlParseException {
    String sql =
        ((PushSelect) SqlParser.parse("SELECT a FROM s WHERE " + condition + " EMIT CHANGES;"))
            .query()
            .flinkSql();
    return sql.substring("SELECT `a` FROM `s` WHERE ".length());
  }

  @Test
  void json_access_reads_paths_over_the_json_text() throws Exception {
    assertThat(item("payload ->> 'name'")).isEqualTo("JSON_VALUE(`payload`, '$.name')");
    assertThat(item("payload -> 'temp'"))
        .isEqualTo("COALESCE(JSON_QUERY(`payload`, '$.temp'), JSON_VALUE(`payload`, '$.temp'))");
    assertThat(item("payload -> 'arr' -> 0"))
        .isEqualTo(
            "COALESCE(JSON_QUERY(`payload`, '$.arr[0]'), JSON_VALUE(`payload`, '$.arr[0]'))");
    assertThat(item("payload -> 'a' ->> 'b c'")).isEqualTo("JSON_VALUE(`payload`, '$.a[\"b c\"]')");
    assertThat(item("payload #>> '{a,b,2}'")).isEqualTo("JSON_VALUE(`payload`, '$.a.b[2]')");
    assertThat(item("payload #> {'a', 1}"))
        .isEqualTo("COALESCE(JSON_QUERY(`payload`, '$.a[1]'), JSON_VALUE(`payload`, '$.a[1]'))");
    assertThat(item("(payload -> 'arr')[2]"))
        .isEqualTo(
            "COALESCE(JSON_QUERY(`payload`, '$.arr[2]'), JSON_VALUE(`payload`, '$.arr[2]'))");
  }

  @Test
  void casts_map_types_and_read_json_scalars() throws Exception {
    assertThat(item("(payload -> 'temp')::FLOAT"))
        .isEqualTo("CAST(JSON_VALUE(`payload`, '$.temp') AS DOUBLE)");
    assertThat(item("CAST(payload ->> 'n' AS INTEGER)"))
        .isEqualTo("CAST(JSON_VALUE(`payload`, '$.n') AS BIGINT)");
    assertThat(item("a::INTEGER")).isEqualTo("CAST(`a` AS BIGINT)");
    assertThat(item("a::STRING")).isEqualTo("CAST(`a` AS STRING)");
    assertThat(item("a::BOOLEAN")).isEqualTo("CAST(`a` AS BOOLEAN)");
    assertThat(item("a::DATE")).isEqualTo("CAST(`a` AS DATE)");
    assertThat(item("a::TIME")).isEqualTo("CAST(`a` AS TIME)");
    assertThat(item("a::TIMESTAMP")).isEqualTo("CAST(`a` AS TIMESTAMP(3))");
    assertThat(item("a::BYTEA")).isEqualTo("CAST(`a` AS BYTES)");
    assertThat(item("a::FLOAT[]"))
        .as("a JSON array field")
        .isEqualTo("CAST(JSON_QUERY(`a`, '$' RETURNING ARRAY<STRING>) AS ARRAY<DOUBLE>)");
    assertThat(item("(p -> 'v')::STRING[]"))
        .isEqualTo("JSON_QUERY(`p`, '$.v' RETURNING ARRAY<STRING>)");
    assertThat(item("'{\"k\": 1}'::JSONB")).isEqualTo("'{\"k\": 1}'");
  }

  @Test
  void literals() throws Exception {
    assertThat(item("NULL")).isEqualTo("CAST(NULL AS STRING)");
    assertThat(item("TRUE")).isEqualTo("TRUE");
    assertThat(item("-1")).isEqualTo("-1");
    assertThat(item("+2.5")).isEqualTo("2.5");
    assertThat(item("1e3")).isEqualTo("1e3");
    assertThat(item("'it'")).isEqualTo("'it'");
    assertThat(item("DATE '2024-01-02'")).isEqualTo("DATE '2024-01-02'");
    assertThat(item("TIME '10:11:12'")).isEqualTo("TIME '10:11:12'");
    assertThat(item("TIMESTAMP '2024-01-02 10:11:12'"))
        .isEqualTo("TIMESTAMP '2024-01-02 10:11:12'");
    assertThat(item("INTERVAL 3 DAY")).isEqualTo("INTERVAL '3' DAY");
    assertThat(item("{1, 2, 3}")).isEqualTo("ARRAY[1, 2, 3]");
    assertThat(item("{1, 2}[1]"))
        .as("HStreamDB counts from 0, Flink from 1")
        .isEqualTo("ARRAY[1, 2][2]");
  }

  @Test
  void operators_follow_the_grammars_precedence() throws Exception {
    assertThat(where("a = 1 OR b = 2 AND NOT c = 3"))
        .isEqualTo("((`a` = 1) OR ((`b` = 2) AND (NOT (`c` = 3))))");
    assertThat(where("x + y * 2 - 1 >= 4")).isEqualTo("(((`x` + (`y` * 2)) - 1) >= 4)");
    assertThat(where("x BETWEEN 1 AND 2")).isEqualTo("(`x` BETWEEN 1 AND 2)");
    assertThat(where("x NOT BETWEEN SYMMETRIC 5 AND 3"))
        .isEqualTo("(`x` NOT BETWEEN SYMMETRIC 5 AND 3)");
    assertThat(where("a IS NULL OR b IS NOT NULL"))
        .isEqualTo("((`a` IS NULL) OR (`b` IS NOT NULL))");
    assertThat(where("a != 1")).isEqualTo("(`a` <> 1)");
    assertThat(where("i % 2 = 0")).isEqualTo("(MOD(`i`, 2) = 0)");
  }

  @Test
  void keywords_that_are_not_reserved_are_column_names() throws Exception {
    assertThat(item("time")).isEqualTo("`time`");
    assertThat(item("\"select\"")).isEqualTo("`select`");
    assertThat(item("date")).isEqualTo("`date`");
    assertThat(item("\"we`ird\"")).isEqualTo("`we``ird`");
  }

  @Test
  void math_functions() throws Exception {
    for (String same :
        new String[] {
          "SIN", "SINH", "ASIN", "COS", "COSH", "ACOS", "TAN", "TANH", "ATAN", "ABS", "CEIL",
          "FLOOR", "SIGN", "SQRT", "LOG2", "LOG10", "EXP"
        }) {
      assertThat(item(same.toLowerCase(java.util.Locale.ROOT) + "(x)")).isEqualTo(same + "(`x`)");
    }
    assertThat(item("LOG(x)")).isEqualTo("LN(`x`)");
    assertThat(item("ROUND(x)")).isEqualTo("ROUND(`x`, 0)");
    assertThat(item("ASINH(x)")).isEqualTo("LN(`x` + SQRT(`x` * `x` + 1))");
    assertThat(item("ACOSH(x)")).isEqualTo("LN(`x` + SQRT(`x` * `x` - 1))");
    assertThat(item("ATANH(x)")).isEqualTo("(0.5 * LN((1 + `x`) / (1 - `x`)))");
  }

  @Test
  void string_and_null_functions() throws Exception {
    assertThat(item("TO_STR(x)")).isEqualTo("CAST(`x` AS STRING)");
    assertThat(item("TO_LOWER(a)")).isEqualTo("LOWER(`a`)");
    assertThat(item("TO_UPPER(a)")).isEqualTo("UPPER(`a`)");
    assertThat(item("TRIM(a)")).isEqualTo("TRIM(BOTH ' ' FROM `a`)");
    assertThat(item("LEFT_TRIM(a)")).isEqualTo("LTRIM(`a`)");
    assertThat(item("RIGHT_TRIM(a)")).isEqualTo("RTRIM(`a`)");
    assertThat(item("REVERSE(a)")).isEqualTo("REVERSE(`a`)");
    assertThat(item("STRLEN(a)")).isEqualTo("CHAR_LENGTH(`a`)");
    assertThat(item("IFNULL(a, 'x')")).isEqualTo("COALESCE(`a`, 'x')");
    assertThat(item("NULLIF(a, 'x')")).isEqualTo("NULLIF(`a`, 'x')");
    assertThat(item("IS_ARRAY(a)")).isEqualTo("(`a` IS JSON ARRAY)");
    assertThat(item("DATETOSTRING(t, '%Y-%m-%d %H:%M:%S')"))
        .isEqualTo("DATE_FORMAT(`t`, 'yyyy-MM-dd HH:mm:ss')");
    assertThat(item("STRINGTODATE(a, '%d/%m/%Y at %H')"))
        .isEqualTo("TO_TIMESTAMP(`a`, 'dd/MM/yyyy'' at ''HH')");
  }

  @Test
  void array_functions_read_json_array_fields() throws Exception {
    assertThat(item("SPLIT(a, ',')")).isEqualTo("SPLIT(`a`, ',')");
    assertThat(item("SPLIT(a, ',')[0]")).isEqualTo("SPLIT(`a`, ',')[1]");
    assertThat(item("ARRAY_LENGTH(tags)"))
        .isEqualTo("CARDINALITY(JSON_QUERY(`tags`, '$' RETURNING ARRAY<STRING>))");
    assertThat(item("ARRAY_CONTAIN(p -> 'tags', 'x')"))
        .isEqualTo("ARRAY_CONTAINS(JSON_QUERY(`p`, '$.tags' RETURNING ARRAY<STRING>), 'x')");
    assertThat(item("ARRAY_JOIN(SPLIT(a, ','))")).isEqualTo("ARRAY_JOIN(SPLIT(`a`, ','), '')");
    assertThat(item("ARRAY_JOIN(SPLIT(a, ','), '-')"))
        .isEqualTo("ARRAY_JOIN(SPLIT(`a`, ','), '-')");
    assertThat(item("ARRAY_UNION(t1, t2)"))
        .isEqualTo(
            "ARRAY_UNION(JSON_QUERY(`t1`, '$' RETURNING ARRAY<STRING>), JSON_QUERY(`t2`, '$'"
                + " RETURNING ARRAY<STRING>))");
    for (String same : new String[] {"ARRAY_DISTINCT", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_SORT"}) {
      assertThat(item(same + "(SPLIT(a, ','))")).isEqualTo(same + "(SPLIT(`a`, ','))");
    }
    for (String same : new String[] {"ARRAY_EXCEPT", "ARRAY_INTERSECT"}) {
      assertThat(item(same + "(SPLIT(a, ','), SPLIT(b, ','))"))
          .isEqualTo(same + "(SPLIT(`a`, ','), SPLIT(`b`, ','))");
    }
    assertThat(item("ARRAY_REMOVE(SPLIT(a, ','), 'x')"))
        .isEqualTo("ARRAY_REMOVE(SPLIT(`a`, ','), 'x')");
  }
}
