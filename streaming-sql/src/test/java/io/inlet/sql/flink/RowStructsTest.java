package io.inlet.sql.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class RowStructsTest {
  @Test
  void date_times_and_times_keep_their_seconds_when_they_are_zero() {
    assertThat(RowStructs.text(LocalDateTime.of(2023, 11, 14, 22, 13)))
        .isEqualTo("2023-11-14T22:13:00");
    assertThat(RowStructs.text(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 5_000_000)))
        .isEqualTo("2023-11-14T22:13:20.005");
    assertThat(RowStructs.text(LocalTime.of(10, 0))).isEqualTo("10:00:00");
  }
}
