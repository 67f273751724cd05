package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Errors name the line and column of the offending token and what was expected there. */
class ParseErrorTest {

  private static AbstractThrowableAssert<?, ? extends Throwable> fails(
      String sql, int line, int column, String expected) {
    return assertThatThrownBy(() -> SqlParser.parse(sql))
        .isInstanceOf(SqlParseException.class)
        .hasFieldOrPropertyWithValue("line", line)
        .hasFieldOrPropertyWithValue("column", column)
        .hasFieldOrPropertyWithValue("expected", expected);
  }

  @Test
  void misspelled_keyword() {
    fails("SELECT a\n  FORM s;", 2, 3, "FROM")
        .hasMessage("line 2, column 3: expected FROM, found 'FORM'");
  }

  @Test
  void unknown_statement() {
    fails("  SELEKT 1;", 1, 3, StatementParser.STATEMENT);
  }

  @Test
  void empty_statement() {
    fails("  -- nothing\n", 2, 1, StatementParser.STATEMENT);
    fails(";", 1, 1, StatementParser.STATEMENT);
  }

  @Test
  void missing_expression() {
    fails("SELECT a FROM s WHERE ;", 1, 23, ExpressionParser.EXPRESSION)
        .hasMessageContaining("found ';'");
  }

  @Test
  void trailing_text_after_the_statement() {
    fails("SHOW STREAMS; SHOW VIEWS;", 1, 15, "the end of the statement");
    fails("SELECT a FROM s EMIT CHANGES extra;", 1, 30, "the end of the statement");
    fails("SELECT a FROM s LIMIT 1;", 1, 17, SelectParser.selectEnd());
  }

  @Test
  void bad_interval_unit() {
    fails(
        "SELECT COUNT(*) FROM s GROUP BY TUMBLING (INTERVAL 10 SECONDS);",
        1,
        55,
        ExpressionParser.INTERVAL_UNITS);
  }

  @Test
  void unterminated_string_and_comment() {
    fails("SELECT a FROM s WHERE b = 'x;", 1, 27, "a closing '");
    fails("SHOW STREAMS /* oops", 1, 14, "a closing */");
  }

  @Test
  void unknown_functions_and_wrong_argument_counts_are_named() {
    fails("SELECT FOO(a) FROM s EMIT CHANGES;", 1, 8, "a function of HStreamDB's SQL")
        .hasMessageContaining("unknown function FOO");
    fails("SELECT TOPK(a) FROM s GROUP BY b EMIT CHANGES;", 1, 8, "2 arguments")
        .hasMessageContaining("TOPK takes 2 arguments, found 1");
    fails("SELECT ABS(a, b) FROM s EMIT CHANGES;", 1, 8, "1 arguments")
        .hasMessageContaining("ABS takes 1 argument, found 2");
  }

  @Test
  void windows_and_joins_refused_with_a_reason() {
    fails(
            "SELECT COUNT(*) FROM s GROUP BY SLIDING (INTERVAL 1 SECOND) EMIT CHANGES;",
            1,
            33,
            "TUMBLING, HOPPING or SESSION")
        .hasMessageContaining("SLIDING");
    fails(
        "SELECT COUNT(*) FROM TUMBLE(s, INTERVAL 1 MONTH) EMIT CHANGES;",
        1,
        32,
        "SECOND, MINUTE, HOUR or DAY");
    fails(
        "SELECT a FROM s1 CROSS JOIN s2 WITHIN (INTERVAL 1 SECOND) EMIT CHANGES;",
        1,
        18,
        "JOIN ... ON or JOIN ... USING");
    fails(
        "SELECT s1.a FROM s1 JOIN s2 WITHIN (INTERVAL 1 SECOND) EMIT CHANGES;",
        1,
        29,
        "ON or USING");
    fails("SELECT s1.a FROM s1 JOIN s2 ON s1.a = s2.a EMIT CHANGES;", 1, 44, "WITHIN");
    fails(
            "SELECT a FROM s1 JOIN s2 ON s1.a = s2.a WITHIN (INTERVAL 1 SECOND) EMIT CHANGES;",
            1,
            8,
            "s1.a or s2.a")
        .hasMessageContaining("column a is ambiguous");
    fails("SELECT z.a FROM s EMIT CHANGES;", 1, 8, "one of s")
        .hasMessageContaining("unknown stream or alias z");
  }

  @Test
  void pull_query_reads_one_view() {
    fails(
        "SELECT a FROM s1 JOIN s2 ON s1.a = s2.a WITHIN (INTERVAL 1 SECOND);",
        1,
        18,
        "a view name");
  }

  @Test
  void group_by_takes_columns() {
    fails("SELECT COUNT(*) FROM s GROUP BY a + 1 EMIT CHANGES;", 1, 33, "a column name");
  }

  @Test
  void insert_errors() {
    fails("INSERT INTO s (a, b) VALUES (1);", 1, 29, "2 values");
    fails("INSERT INTO s (a, a) VALUES (1, 2);", 1, 19, "another column");
    fails("INSERT INTO s (a) VALUES (b);", 1, 27, Constants.CONSTANT);
    fails("INSERT INTO s VALUES '{\"a\": }'::JSONB;", 1, 22, "a JSON object")
        .hasMessageContaining("invalid JSON at offset 6");
    fails("INSERT INTO s VALUES '[1]'::JSONB;", 1, 22, "a JSON object");
    fails("INSERT INTO s VALUES 'x'::STRING;", 1, 22, "'...'::JSONB or '...'::BYTEA");
  }

  @Test
  void create_errors() {
    fails("CREATE STREAM s WITH (REPLICATE = 0);", 1, 35, "an integer >= 1");
    fails("CREATE TABLE t;", 1, 8, "STREAM, VIEW, SOURCE or SINK");
    fails("CREATE STREAM s WITH (PARTITIONS = 3);", 1, 23, "REPLICATE or DURATION");
  }

  @Test
  void flink_prefix_needs_a_statement() {
    fails("FLINK ;", 1, 6, "a Flink SQL statement");
  }

  @Test
  void bad_cast_type() {
    fails(
        "SELECT a::NUMBER FROM s EMIT CHANGES;",
        1,
        11,
        "a type (INTEGER, FLOAT, BOOLEAN, BYTEA, STRING, DATE, TIME, TIMESTAMP, INTERVAL, JSONB)");
  }
}
