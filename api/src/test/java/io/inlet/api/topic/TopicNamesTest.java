package io.inlet.api.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicNamesTest {
  @Test
  void names_without_wildcards_or_nul_are_valid_whatever_their_levels() {
    assertThat(TopicNames.problem("sensors/dev-1/temp")).isNull();
    assertThat(TopicNames.problem("/")).isNull();
    assertThat(TopicNames.problem("a//b/")).isNull();
    assertThat(TopicNames.problem("$SYS/broker")).isNull();
    assertThat(TopicNames.problem("température/ü")).isNull();
  }

  @Test
  void empty_wildcard_nul_and_overlong_names_are_refused_with_the_reason() {
    assertThat(TopicNames.problem("")).isEqualTo("is empty");
    assertThat(TopicNames.problem(null)).isEqualTo("is empty");
    assertThat(TopicNames.problem("a/+/b")).isEqualTo("contains the wildcard +");
    assertThat(TopicNames.problem("a/#")).isEqualTo("contains the wildcard #");
    assertThat(TopicNames.problem("a+b")).isEqualTo("contains the wildcard +");
    assertThat(TopicNames.problem("a\0b")).isEqualTo("contains the NUL character");
    assertThat(TopicNames.problem("x".repeat(65_535))).isNull();
    assertThat(TopicNames.problem("x".repeat(65_536))).isEqualTo("is longer than 65535 bytes");
    assertThat(TopicNames.problem("é".repeat(32_768)))
        .as("counted in bytes of UTF-8")
        .isEqualTo("is longer than 65535 bytes");
  }
}
