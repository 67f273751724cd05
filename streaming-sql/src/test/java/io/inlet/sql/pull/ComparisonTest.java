package io.inlet.sql.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  @Test
  void every_operator_on_integers() {
    assertThat(Comparison.test("=", 2L, 2L)).isTrue();
    assertThat(Comparison.test("<>", 2L, 2L)).isFalse();
    assertThat(Comparison.test("<", 1L, 2L)).isTrue();
    assertThat(Comparison.test("<=", 2L, 2L)).isTrue();
    assertThat(Comparison.test(">", 2L, 2L)).isFalse();
    assertThat(Comparison.test(">=", 3L, 2L)).isTrue();
  }

  @Test
  void null_on_either_side_is_unknown_for_every_operator() {
    for (String op : new String[] {"=", "<>", "<", "<=", ">", ">="}) {
      assertThat(Comparison.test(op, null, 1L)).isNull();
      assertThat(Comparison.test(op, "a", null)).isNull();
      assertThat(Comparison.test(op, null, null)).isNull();
    }
  }

  @Test
  void numbers_widen_across_integer_double_and_decimal() {
    assertThat(Comparison.test("=", 2L, 2.0)).isTrue();
    assertThat(Comparison.test("<", 2L, 2.5)).isTrue();
    assertThat(Comparison.test("=", new BigDecimal("2.50"), 2.5)).isTrue();
    assertThat(Comparison.test("=", new BigDecimal("3.00"), 3L)).isTrue();
    assertThat(Comparison.test(">", new BigDecimal("3.01"), 3L)).isTrue();
    // beyond a double's 53 bits, two longs still compare exactly
    assertThat(Comparison.test("<", 9_007_199_254_740_992L, 9_007_199_254_740_993L)).isTrue();
  }

  @Test
  void strings_compare_by_code_point_like_their_utf8_bytes() {
    assertThat(Comparison.test("<", "Paris", "paris")).isTrue();
    assertThat(Comparison.test("<", "ab", "abc")).isTrue();
    assertThat(Comparison.test("=", "é", "é")).isTrue();
    // U+FFFF sorts before U+1F600 in UTF-8 (String.compareTo would say the opposite)
    assertThat(Comparison.test("<", "\uFFFF", "\uD83D\uDE00")).isTrue();
  }

  @Test
  void false_sorts_before_true() {
    assertThat(Comparison.test("<", false, true)).isTrue();
    assertThat(Comparison.test("=", true, true)).isTrue();
  }

  @Test
  void dates_times_and_timestamps() {
    LocalDate day = LocalDate.parse("2026-12-03");
    LocalDateTime noon = LocalDateTime.parse("2026-12-03T12:00:00");
    assertThat(Comparison.test("<", day, noon)).isTrue();
    assertThat(Comparison.test("=", day, day.atStartOfDay())).isTrue();
    assertThat(Comparison.test("=", Instant.parse("2026-12-03T12:00:00Z"), noon)).isTrue();
    assertThat(Comparison.test("<", LocalTime.parse("09:00"), LocalTime.parse("10:00"))).isTrue();
  }

  @Test
  void a_string_compared_with_a_temporal_is_read_as_that_type() {
    LocalDateTime noon = LocalDateTime.parse("2026-12-03T12:00:00");
    assertThat(Comparison.test("=", "2026-12-03 12:00:00", noon)).isTrue();
    assertThat(Comparison.test(">", noon, "2026-12-03")).isTrue();
    assertThatThrownBy(() -> Comparison.test("=", "noon", noon))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessageContaining("'noon'");
  }

  @Test
  void values_of_different_kinds_are_refused() {
    assertThatThrownBy(() -> Comparison.test("=", "5", 5L))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessage("cannot compare STRING with BIGINT");
    assertThatThrownBy(() -> Comparison.test("=", true, 1L))
        .isInstanceOf(PullEvaluationException.class);
    assertThatThrownBy(() -> Comparison.test("<", LocalTime.NOON, LocalDate.EPOCH))
        .isInstanceOf(PullEvaluationException.class);
  }
}
