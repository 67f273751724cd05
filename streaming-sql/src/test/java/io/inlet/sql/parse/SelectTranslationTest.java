package io.inlet.sql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.SelectQuery;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SELECTs translated to Flink SQL. Every expected text here was planned by Flink 2.3.0's streaming
 * planner (explainSql over tables declaring the listed columns and {@code __event_time} with a
 * watermark) when it was written.
 */
class SelectTranslationTest {

  private static SelectQuery push(String sql) throws SqlParseException {
    return ((PushSelect) SqlParser.parse(sql)).query();
  }

  @Test
  void filter_and_projection_declare_only_the_fields_read() throws Exception {
    SelectQuery q =
        push("SELECT a, temp + 1 AS t FROM s WHERE temp > 20 AND a <> 'x' EMIT CHANGES;");
    assertThat(q.flinkSql())
        .isEqualTo(
            "SELECT `a`, (`temp` + 1) AS `t` FROM `s` WHERE ((`temp` > 20) AND (`a` <> 'x'))");
    assertThat(q.columnsByStream()).isEqualTo(Map.of("s", Set.of("a", "temp")));
    assertThat(q.outputColumns()).containsExactly("a", "t");
    assertThat(q.updating()).isFalse();
  }

  @Test
  void unnamed_expressions_are_named_by_their_text() throws Exception {
    SelectQuery q = push("SELECT a, COUNT(*), SUM(temp  *  2) FROM s GROUP BY a EMIT CHANGES;");
    assertThat(q.flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `COUNT(*)`, SUM((`temp` * 2)) AS `SUM(temp * 2)` FROM `s`"
                + " GROUP BY `a`");
    assertThat(q.outputColumns()).containsExactly("a", "COUNT(*)", "SUM(temp * 2)");
  }

  @Test
  void a_parenthesized_item_is_named_from_its_first_character() throws Exception {
    assertThat(push("SELECT (p -> 'a')[2] FROM s EMIT CHANGES;").outputColumns())
        .containsExactly("(p -> 'a')[2]");
  }

  @Test
  void aggregate_without_window_is_updating() throws Exception {
    assertThat(push("SELECT a, COUNT(*) FROM s GROUP BY a EMIT CHANGES;").updating()).isTrue();
    assertThat(push("SELECT COUNT(*) FROM s EMIT CHANGES;").updating()).isTrue();
    SelectQuery having =
        push("SELECT a, COUNT(*) FROM s GROUP BY a HAVING COUNT(*) > 2 EMIT CHANGES;");
    assertThat(having.flinkSql()).endsWith("GROUP BY `a` HAVING (COUNT(*) > 2)");
  }

  @Test
  void v09_tumbling_window_in_group_by() throws Exception {
    SelectQuery q =
        push(
            "SELECT a, COUNT(*), AVG(temp), SUM(temp), MIN(temp), MAX(temp) FROM s"
                + " GROUP BY a, TUMBLING (INTERVAL 10 SECOND) EMIT CHANGES;");
    assertThat(q.flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `COUNT(*)`, AVG(`temp`) AS `AVG(temp)`, SUM(`temp`) AS"
                + " `SUM(temp)`, MIN(`temp`) AS `MIN(temp)`, MAX(`temp`) AS `MAX(temp)`,"
                + " `window_start`, `window_end` FROM TABLE(TUMBLE(TABLE `s`,"
                + " DESCRIPTOR(`__event_time`), INTERVAL '10' SECOND)) AS `s`"
                + " GROUP BY `window_start`, `window_end`, `a`");
    assertThat(q.updating()).isFalse();
    assertThat(q.outputColumns())
        .containsExactly(
            "a",
            "COUNT(*)",
            "AVG(temp)",
            "SUM(temp)",
            "MIN(temp)",
            "MAX(temp)",
            "window_start",
            "window_end");
  }

  @Test
  void v09_hopping_takes_size_then_slide() throws Exception {
    assertThat(
            push("SELECT a, COUNT(*) FROM s GROUP BY a, HOPPING (INTERVAL 10 SECOND, INTERVAL 5"
                    + " SECOND) EMIT CHANGES;")
                .flinkSql())
        .contains(
            "TABLE(HOP(TABLE `s`, DESCRIPTOR(`__event_time`), INTERVAL '5' SECOND, INTERVAL '10'"
                + " SECOND)) AS `s`");
  }

  @Test
  void v09_session_partitions_by_the_group_keys() throws Exception {
    assertThat(
            push("SELECT a, COUNT(*) FROM s GROUP BY a, SESSION (INTERVAL 10 SECOND) EMIT CHANGES;")
                .flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `COUNT(*)`, `window_start`, `window_end` FROM"
                + " TABLE(SESSION(TABLE `s` PARTITION BY `a`, DESCRIPTOR(`__event_time`),"
                + " INTERVAL '10' SECOND)) AS `s` GROUP BY `window_start`, `window_end`, `a`");
  }

  @Test
  void a_session_window_filters_its_records_before_they_form_sessions() throws Exception {
    // Outside the window function, WHERE a = 'x' makes Flink's planner fold the partition key into
    // a constant and aggregate the sessions without a window: an updating result.
    assertThat(
            push("SELECT a, COUNT(*) FROM s AS t WHERE t.a = 'x' GROUP BY a, SESSION (INTERVAL 10"
                    + " SECOND) EMIT CHANGES;")
                .flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `COUNT(*)`, `window_start`, `window_end` FROM"
                + " TABLE(SESSION((SELECT * FROM `s` AS `t` WHERE (`t`.`a` = 'x')) PARTITION BY"
                + " `a`, DESCRIPTOR(`__event_time`), INTERVAL '10' SECOND)) AS `t` GROUP BY"
                + " `window_start`, `window_end`, `a`");
  }

  @Test
  void a_where_on_the_session_bounds_stays_after_the_window() throws Exception {
    assertThat(
            push("SELECT a, COUNT(*) FROM SESSION(s, INTERVAL 10 SECOND) WHERE window_end >"
                    + " '2023-01-01 00:00:00' GROUP BY a EMIT CHANGES;")
                .flinkSql())
        .contains("TABLE(SESSION(TABLE `s` PARTITION BY `a`")
        .contains(") AS `s` WHERE (`window_end` > '2023-01-01 00:00:00')");
  }

  @Test
  void window_alone_in_group_by() throws Exception {
    assertThat(
            push("SELECT COUNT(*) FROM s GROUP BY TUMBLING (INTERVAL 1 MINUTE) EMIT CHANGES;")
                .flinkSql())
        .isEqualTo(
            "SELECT COUNT(*) AS `COUNT(*)`, `window_start`, `window_end` FROM TABLE(TUMBLE(TABLE"
                + " `s`, DESCRIPTOR(`__event_time`), INTERVAL '1' MINUTE)) AS `s` GROUP BY"
                + " `window_start`, `window_end`");
  }

  @Test
  void table_function_windows() throws Exception {
    SelectQuery tumble =
        push("SELECT a, COUNT(*) AS c FROM TUMBLE(s, INTERVAL 10 SECOND) GROUP BY a EMIT CHANGES;");
    assertThat(tumble.flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `c`, `window_start`, `window_end` FROM TABLE(TUMBLE(TABLE"
                + " `s`, DESCRIPTOR(`__event_time`), INTERVAL '10' SECOND)) AS `s` GROUP BY"
                + " `window_start`, `window_end`, `a`");
    SelectQuery explicit =
        push(
            "SELECT window_start, window_end, a, COUNT(*) AS c FROM TUMBLE(s, INTERVAL 10 SECOND)"
                + " AS w GROUP BY window_start, window_end, a EMIT CHANGES;");
    assertThat(explicit.flinkSql())
        .isEqualTo(
            "SELECT `window_start`, `window_end`, `a`, COUNT(*) AS `c` FROM TABLE(TUMBLE(TABLE"
                + " `s`, DESCRIPTOR(`__event_time`), INTERVAL '10' SECOND)) AS `w` GROUP BY"
                + " `window_start`, `window_end`, `a`");
    assertThat(explicit.columnsByStream()).isEqualTo(Map.of("s", Set.of("a")));
    assertThat(
            push("SELECT a, SUM(temp) FROM HOP(s, INTERVAL 10 SECOND, INTERVAL 2 SECOND) GROUP BY a"
                    + " EMIT CHANGES;")
                .flinkSql())
        .contains(
            "HOP(TABLE `s`, DESCRIPTOR(`__event_time`), INTERVAL '2' SECOND, INTERVAL '10'"
                + " SECOND)");
    assertThat(
            push("SELECT a, MAX(temp) FROM SESSION(s, INTERVAL 10 SECOND) GROUP BY a EMIT CHANGES;")
                .flinkSql())
        .contains(
            "SESSION(TABLE `s` PARTITION BY `a`, DESCRIPTOR(`__event_time`), INTERVAL '10'"
                + " SECOND)");
  }

  @Test
  void window_over_a_subquery_keeps_its_event_time() throws Exception {
    SelectQuery q =
        push(
            "SELECT a, COUNT(*) FROM TUMBLE((SELECT a, temp FROM s WHERE temp > 1), INTERVAL 10"
                + " SECOND) AS t GROUP BY a EMIT CHANGES;");
    assertThat(q.flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `COUNT(*)`, `window_start`, `window_end` FROM"
                + " TABLE(TUMBLE((SELECT `a`, `temp`, `__event_time` FROM `s` WHERE (`temp` > 1)),"
                + " DESCRIPTOR(`__event_time`), INTERVAL '10' SECOND)) AS `t` GROUP BY"
                + " `window_start`, `window_end`, `a`");
    assertThat(q.columnsByStream()).isEqualTo(Map.of("s", Set.of("a", "temp")));
  }

  @Test
  void join_within_becomes_an_interval_join() throws Exception {
    SelectQuery q =
        push(
            "SELECT s1.a, s2.temp FROM s1 INNER JOIN s2 ON s1.a = s2.a WITHIN (INTERVAL 5 SECOND)"
                + " EMIT CHANGES;");
    assertThat(q.flinkSql())
        .isEqualTo(
            "SELECT `s1`.`a`, `s2`.`temp` FROM `s1` INNER JOIN `s2` ON (`s1`.`a` = `s2`.`a`) AND"
                + " `s1`.`__event_time` BETWEEN `s2`.`__event_time` - INTERVAL '5' SECOND AND"
                + " `s2`.`__event_time` + INTERVAL '5' SECOND");
    assertThat(q.columnsByStream()).isEqualTo(Map.of("s1", Set.of("a"), "s2", Set.of("a", "temp")));
    assertThat(q.updating()).isFalse();
  }

  @Test
  void outer_joins_aliases_and_using() throws Exception {
    assertThat(
            push("SELECT x.a, y.temp FROM s1 AS x LEFT OUTER JOIN s2 AS y ON x.a = y.a WITHIN"
                    + " (INTERVAL 1 MINUTE) EMIT CHANGES;")
                .flinkSql())
        .isEqualTo(
            "SELECT `x`.`a`, `y`.`temp` FROM `s1` AS `x` LEFT JOIN `s2` AS `y` ON (`x`.`a` ="
                + " `y`.`a`) AND `x`.`__event_time` BETWEEN `y`.`__event_time` - INTERVAL '1'"
                + " MINUTE AND `y`.`__event_time` + INTERVAL '1' MINUTE");
    SelectQuery using =
        push(
            "SELECT a, s2.temp FROM s1 JOIN s2 USING (a) WITHIN (INTERVAL 5 SECOND) EMIT CHANGES;");
    assertThat(using.flinkSql())
        .isEqualTo(
            "SELECT `s1`.`a`, `s2`.`temp` FROM `s1` INNER JOIN `s2` ON `s1`.`a` = `s2`.`a` AND"
                + " `s1`.`__event_time` BETWEEN `s2`.`__event_time` - INTERVAL '5' SECOND AND"
                + " `s2`.`__event_time` + INTERVAL '5' SECOND");
    assertThat(
            push("SELECT s1.a FROM s1 RIGHT JOIN s2 ON s1.a = s2.a WITHIN (INTERVAL 1 SECOND)"
                    + " EMIT CHANGES;")
                .flinkSql())
        .contains(" RIGHT JOIN ");
    assertThat(
            push("SELECT s1.a FROM s1 FULL OUTER JOIN s2 ON s1.a = s2.a WITHIN (INTERVAL 1"
                    + " SECOND) EMIT CHANGES;")
                .flinkSql())
        .contains(" FULL JOIN ");
  }

  @Test
  void window_over_a_joined_subquery() throws Exception {
    assertThat(
            push("SELECT a, COUNT(*) FROM TUMBLE((SELECT s1.a, s2.temp FROM s1 JOIN s2 ON s1.a ="
                    + " s2.a WITHIN (INTERVAL 5 SECOND)), INTERVAL 10 SECOND) GROUP BY a EMIT"
                    + " CHANGES;")
                .flinkSql())
        .isEqualTo(
            "SELECT `a`, COUNT(*) AS `COUNT(*)`, `window_start`, `window_end` FROM"
                + " TABLE(TUMBLE((SELECT `s1`.`a`, `s2`.`temp`, `s1`.`__event_time` FROM `s1`"
                + " INNER JOIN `s2` ON (`s1`.`a` = `s2`.`a`) AND `s1`.`__event_time` BETWEEN"
                + " `s2`.`__event_time` - INTERVAL '5' SECOND AND `s2`.`__event_time` + INTERVAL"
                + " '5' SECOND), DESCRIPTOR(`__event_time`), INTERVAL '10' SECOND)) AS"
                + " `__derived1` GROUP BY `window_start`, `window_end`, `a`");
  }

  @Test
  void subquery_in_from() throws Exception {
    SelectQuery q =
        push(
            "SELECT t.a, t.c FROM (SELECT a, COUNT(*) AS c FROM s GROUP BY a) AS t WHERE t.c > 1"
                + " EMIT CHANGES;");
    assertThat(q.flinkSql())
        .isEqualTo(
            "SELECT `t`.`a`, `t`.`c` FROM (SELECT `a`, COUNT(*) AS `c` FROM `s` GROUP BY `a`) AS"
                + " `t` WHERE (`t`.`c` > 1)");
    assertThat(q.updating()).as("a filter over a changelog is a changelog").isTrue();
    assertThat(q.columnsByStream()).isEqualTo(Map.of("s", Set.of("a")));
  }

  @Test
  void qualified_wildcard() throws Exception {
    SelectQuery q = push("SELECT s.* FROM s EMIT CHANGES;");
    assertThat(q.flinkSql()).isEqualTo("SELECT `s`.* FROM `s`");
    assertThat(q.columnsByStream()).isEqualTo(Map.of("s", Set.of(SelectQuery.ALL_COLUMNS)));
  }
}
