package io.inlet.sql.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class CastsTest {
  @Test
  void to_integer_truncates_toward_zero_and_reads_trimmed_strings() {
    assertThat(Casts.cast(2.9, "INTEGER")).isEqualTo(2L);
    assertThat(Casts.cast(-2.9, "INTEGER")).isEqualTo(-2L);
    assertThat(Casts.cast(new BigDecimal("7.5"), "INTEGER")).isEqualTo(7L);
    assertThat(Casts.cast(" 42 ", "INTEGER")).isEqualTo(42L);
    assertThat(Casts.cast("1.5", "INTEGER")).isEqualTo(1L);
    assertThat(Casts.cast(true, "INTEGER")).isEqualTo(1L);
    assertThatThrownBy(() -> Casts.cast("abc", "INTEGER"))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessage("cannot cast STRING 'abc' to INTEGER");
    assertThatThrownBy(() -> Casts.cast(1e30, "INTEGER"))
        .isInstanceOf(PullEvaluationException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void to_float_boolean_and_string() {
    assertThat(Casts.cast(3L, "FLOAT")).isEqualTo(3.0);
    assertThat(Casts.cast("2.5", "FLOAT")).isEqualTo(2.5);
    assertThat(Casts.cast("yes", "BOOLEAN")).isEqualTo(true);
    assertThat(Casts.cast("FALSE", "BOOLEAN")).isEqualTo(false);
    assertThat(Casts.cast(0L, "BOOLEAN")).isEqualTo(false);
    assertThatThrownBy(() -> Casts.cast("maybe", "BOOLEAN"))
        .isInstanceOf(PullEvaluationException.class);
    assertThat(Casts.cast(true, "STRING")).isEqualTo("TRUE");
    assertThat(Casts.cast(12L, "STRING")).isEqualTo("12");
    assertThat(Casts.cast(new BigDecimal("1E+3"), "STRING")).isEqualTo("1000");
    assertThat(Casts.cast(LocalDateTime.parse("2026-12-03T10:00:00"), "STRING"))
        .isEqualTo("2026-12-03 10:00:00.000");
    assertThat(Casts.cast("{\"a\":1}", "JSONB")).isEqualTo("{\"a\":1}");
  }

  @Test
  void to_date_time_and_timestamp() {
    assertThat(Casts.cast("2026-12-03", "DATE")).isEqualTo(LocalDate.parse("2026-12-03"));
    assertThat(Casts.cast(LocalDateTime.parse("2026-12-03T10:15:00"), "DATE"))
        .isEqualTo(LocalDate.parse("2026-12-03"));
    assertThat(Casts.cast("10:15:30", "TIME")).isEqualTo(LocalTime.parse("10:15:30"));
    assertThat(Casts.cast("2026-12-03 10:15:00", "TIMESTAMP"))
        .isEqualTo(LocalDateTime.parse("2026-12-03T10:15:00"));
    assertThat(Casts.cast(Instant.parse("2026-12-03T10:15:00Z"), "TIMESTAMP"))
        .isEqualTo(LocalDateTime.parse("2026-12-03T10:15:00"));
    assertThatThrownBy(() -> Casts.cast("3 Dec", "DATE"))
        .isInstanceOf(PullEvaluationException.class);
  }

  @Test
  void null_casts_to_null() {
    assertThat(Casts.cast(null, "INTEGER")).isNull();
    assertThat(Casts.cast(null, "TIMESTAMP")).isNull();
  }

  @Test
  void which_casts_are_allowed() {
    assertThat(Casts.castable(ValueType.NUMBER, ValueType.STRING)).isTrue();
    assertThat(Casts.castable(ValueType.STRING, ValueType.TIMESTAMP)).isTrue();
    assertThat(Casts.castable(ValueType.NUMBER, ValueType.DATE)).isFalse();
    assertThat(Casts.castable(ValueType.DATE, ValueType.NUMBER)).isFalse();
    assertThat(Casts.castable(ValueType.TIME, ValueType.DATE)).isFalse();
    assertThat(Casts.resultType("BYTEA")).isNull();
    assertThat(Casts.resultType("INTERVAL")).isNull();
  }
}
