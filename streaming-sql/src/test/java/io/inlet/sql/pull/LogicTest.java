package io.inlet.sql.pull;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogicTest {
  private static final Boolean T = true;
  private static final Boolean F = false;
  private static final Boolean U = null;

  @Test
  void and_is_false_when_either_is_false_else_unknown_when_either_is_unknown() {
    assertThat(Logic.and(T, T)).isTrue();
    assertThat(Logic.and(T, F)).isFalse();
    assertThat(Logic.and(F, U)).isFalse();
    assertThat(Logic.and(U, F)).isFalse();
    assertThat(Logic.and(T, U)).isNull();
    assertThat(Logic.and(U, T)).isNull();
    assertThat(Logic.and(U, U)).isNull();
  }

  @Test
  void or_is_true_when_either_is_true_else_unknown_when_either_is_unknown() {
    assertThat(Logic.or(F, F)).isFalse();
    assertThat(Logic.or(T, F)).isTrue();
    assertThat(Logic.or(U, T)).isTrue();
    assertThat(Logic.or(T, U)).isTrue();
    assertThat(Logic.or(F, U)).isNull();
    assertThat(Logic.or(U, U)).isNull();
  }

  @Test
  void not_of_unknown_is_unknown() {
    assertThat(Logic.not(T)).isFalse();
    assertThat(Logic.not(F)).isTrue();
    assertThat(Logic.not(U)).isNull();
  }

  @Test
  void where_keeps_only_true() {
    assertThat(Logic.keeps(T)).isTrue();
    assertThat(Logic.keeps(F)).isFalse();
    assertThat(Logic.keeps(U)).isFalse();
  }
}
