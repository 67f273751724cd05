package io.inlet.sql.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
  @Test
  void integers_stay_integers() {
    assertThat(Arithmetic.apply("+", 2L, 3L)).isEqualTo(5L);
    assertThat(Arithmetic.apply("-", 2L, 3L)).isEqualTo(-1L);
    assertThat(Arithmetic.apply("*", 4L, 3L)).isEqualTo(12L);
    assertThat(Arithmetic.apply("/", 7L, 2L)).isEqualTo(3L);
    assertThat(Arithmetic.apply("/", -7L, 2L)).isEqualTo(-3L);
    assertThat(Arithmetic.apply("%", 7L, 3L)).isEqualTo(1L);
  }

  @Test
  void a_double_operand_gives_a_double() {
    assertThat(Arithmetic.apply("+", 2L, 0.5)).isEqualTo(2.5);
    assertThat(Arithmetic.apply("/", 7.0, 2L)).isEqualTo(3.5);
    assertThat(Arithmetic.apply("/", 1.0, 0L)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void a_decimal_operand_gives_a_decimal() {
    assertThat(Arithmetic.apply("*", new BigDecimal("1.5"), 2L)).isEqualTo(new BigDecimal("3.0"));
    assertThat(((BigDecimal) Arithmetic.apply("/", new BigDecimal("1"), 3L)).doubleValue())
        .isEqualTo(1.0 / 3);
  }

  @Test
  void null_in_null_out() {
    assertThat(Arithmetic.apply("+", null, 1L)).isNull();
    assertThat(Arithmetic.apply("/", 1L, null)).isNull();
    assertThat(Arithmetic.negate(null)).isNull();
  }

  @Test
  void integer_division_by_zero_and_overflow_are_errors() {
    assertThatThrownBy(() -> Arithmetic.apply("/", 1L, 0L))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessage("division by zero: 1 / 0");
    assertThatThrownBy(() -> Arithmetic.apply("%", 1L, 0L))
        .isInstanceOf(PullEvaluationException.class);
    assertThatThrownBy(() -> Arithmetic.apply("/", BigDecimal.ONE, BigDecimal.ZERO))
        .isInstanceOf(PullEvaluationException.class);
    assertThatThrownBy(() -> Arithmetic.apply("+", Long.MAX_VALUE, 1L))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessageContaining("overflow");
    assertThatThrownBy(() -> Arithmetic.negate(Long.MIN_VALUE))
        .isInstanceOf(PullEvaluationException.class);
  }

  @Test
  void negation_keeps_the_type() {
    assertThat(Arithmetic.negate(3L)).isEqualTo(-3L);
    assertThat(Arithmetic.negate(1.5)).isEqualTo(-1.5);
    assertThat(Arithmetic.negate(new BigDecimal("2.5"))).isEqualTo(new BigDecimal("-2.5"));
  }
}
