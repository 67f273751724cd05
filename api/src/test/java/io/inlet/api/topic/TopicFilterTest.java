package io.inlet.api.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "a/b, a/b, true",
    "a/b, a/c, false",
    "a/b, a/b/c, false",
    "a/+, a/b, true",
    "a/+, a/, true",
    "a/+, a, false",
    "a/+, a/b/c, false",
    "+/+, /a, true",
    "+, a, true",
    "+, /a, false",
    "a/#, a, true",
    "a/#, a/b, true",
    "a/#, a/b/c, true",
    "a/#, ab, false",
    "#, a/b/c, true",
    "#, /, true",
    "a/+/c/#, a/x/c, true",
    "a/+/c/#, a/x/d/e, false",
    "sensors/+/temp, sensors/dev-1/temp, true",
    "sensors/+/temp, sensors/dev-1/humidity, false",
    "A/b, a/b, false",
  })
  void matches_as_mqtt_says(String filter, String topic, boolean expected) {
    assertThat(TopicFilter.parse(filter).matches(topic)).isEqualTo(expected);
  }

  @Test
  void leading_wildcards_do_not_match_dollar_topics_but_literal_dollar_levels_do() {
    assertThat(TopicFilter.parse("#").matches("$SYS/broker/uptime")).isFalse();
    assertThat(TopicFilter.parse("+/broker/uptime").matches("$SYS/broker/uptime")).isFalse();
    assertThat(TopicFilter.parse("$SYS/#").matches("$SYS/broker/uptime")).isTrue();
    assertThat(TopicFilter.parse("$SYS/+/uptime").matches("$SYS/broker/uptime")).isTrue();
    assertThat(TopicFilter.parse("a/#").matches("a/$b")).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a/#/b | '#' must be the last level",
        "a/b# | '#' must be a whole level",
        "a/#b | '#' must be a whole level",
        "a+/b | '+' must be a whole level",
        "a/+b | '+' must be a whole level",
      })
  void invalid_filters_are_refused_with_the_reason(String filter, String reason) {
    assertThatThrownBy(() -> TopicFilter.parse(filter))
        .isInstanceOf(InvalidTopicFilterException.class)
        .hasMessageContaining("\"" + filter + "\"")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((InvalidTopicFilterException) e).filter()).isEqualTo(filter));
    assertThat(TopicFilter.isValid(filter)).isFalse();
    assertThat(TopicFilter.problem(filter)).contains(reason);
  }

  @Test
  void empty_and_nul_filters_are_refused() {
    assertThatThrownBy(() -> TopicFilter.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> TopicFilter.parse(null)).hasMessageContaining("empty");
    assertThatThrownBy(() -> TopicFilter.parse("a\0b")).hasMessageContaining("NUL");
    assertThat(TopicFilter.isValid("")).isFalse();
    assertThat(TopicFilter.isValid(null)).isFalse();
  }

  @Test
  void filters_longer_than_mqtt_can_carry_are_refused() {
    assertThat(TopicFilter.isValid("x".repeat(65_535))).isTrue();
    assertThat(TopicFilter.problem("x".repeat(65_536))).isEqualTo("it is longer than 65535 bytes");
    assertThat(TopicFilter.problem("é".repeat(32_768))).isEqualTo("it is longer than 65535 bytes");
  }

  @Test
  void valid_filters_are_whole_level_wildcards() {
    assertThat(TopicFilter.isValid("a/#")).isTrue();
    assertThat(TopicFilter.isValid("a/+/b")).isTrue();
    assertThat(TopicFilter.isValid("+")).isTrue();
    assertThat(TopicFilter.isValid("a//b")).isTrue();
    assertThat(TopicFilter.isValid("/x")).isTrue();
  }

  @ParameterizedTest(name = "unparsed {0} matches {1}: {2}")
  @CsvSource({
    "a/b, a/b, true",
    "a/b, a/c, false",
    "a/+, a/b, true",
    "a/+, a/b/c, false",
    "a/+/c, a/x/c, true",
    "a/#, a, true",
    "a/#, a/b/c, true",
    "#, anything/at/all, true",
    "+, a, true",
    "'+', '', true",
    "a/+, a/, true",
    "a, a/b, false",
    "a/b/c, a/b, false",
    "/+, /x, true",
    "#, $SYS/x, false",
    "+/x, $SYS/x, false",
    "$SYS/#, $SYS/x, true",
    "a+b, a+b, false",
    "a/#/b, a/x/b, false",
  })
  void a_filter_known_only_at_check_time_matches_alike_and_an_invalid_one_matches_nothing(
      String filter, String topic, boolean expected) {
    assertThat(TopicFilter.matches(filter, topic)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
    "#, a/b, true",
    "#, a/#, true",
    "#, $SYS/#, false",
    "#, +/b, true",
    "a/#, a, true",
    "a/#, a/+/c, true",
    "a/#, b/#, false",
    "a/+, a/b, true",
    "a/+, a/+, true",
    "a/+, a/#, false",
    "a/+, a/b/c, false",
    "a/b, a/+, false",
    "a/b, a/b, true",
    "+/b, $x/b, false",
    "a/b/#, a/#, false",
  })
  void covers_when_every_topic_of_the_other_matches(String filter, String other, boolean expected) {
    assertThat(TopicFilter.parse(filter).covers(TopicFilter.parse(other))).isEqualTo(expected);
  }

  @Test
  void topics_split_into_levels_keeping_empty_ones() {
    assertThat(TopicLevels.split("a/b")).containsExactly("a", "b");
    assertThat(TopicLevels.split("/a")).containsExactly("", "a");
    assertThat(TopicLevels.split("a//b/")).containsExactly("a", "", "b", "");
    assertThat(TopicLevels.split("")).containsExactly("");
  }
}
