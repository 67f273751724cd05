package io.inlet.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFiltersTest {
  @Test
  void wildcards_match_as_mqtt_says() {
    assertThat(TopicFilters.matches("a/b", "a/b")).isTrue();
    assertThat(TopicFilters.matches("a/b", "a/c")).isFalse();
    assertThat(TopicFilters.matches("a/+", "a/b")).isTrue();
    assertThat(TopicFilters.matches("a/+", "a/b/c")).isFalse();
    assertThat(TopicFilters.matches("a/+/c", "a/x/c")).isTrue();
    assertThat(TopicFilters.matches("a/#", "a")).isTrue();
    assertThat(TopicFilters.matches("a/#", "a/b/c")).isTrue();
    assertThat(TopicFilters.matches("#", "anything/at/all")).isTrue();
    assertThat(TopicFilters.matches("+", "a")).isTrue();
    assertThat(TopicFilters.matches("+", "")).isTrue();
    assertThat(TopicFilters.matches("a/+", "a/")).isTrue();
    assertThat(TopicFilters.matches("a", "a/b")).isFalse();
    assertThat(TopicFilters.matches("a/b/c", "a/b")).isFalse();
    assertThat(TopicFilters.matches("/+", "/x")).isTrue();
  }

  @Test
  void filters_starting_with_a_wildcard_do_not_match_dollar_topics() {
    assertThat(TopicFilters.matches("#", "$SYS/x")).isFalse();
    assertThat(TopicFilters.matches("+/x", "$SYS/x")).isFalse();
    assertThat(TopicFilters.matches("$SYS/#", "$SYS/x")).isTrue();
  }

  @Test
  void validity() {
    assertThat(TopicFilters.isValid("a/#")).isTrue();
    assertThat(TopicFilters.isValid("a/+/b")).isTrue();
    assertThat(TopicFilters.isValid("a/#/b")).isFalse();
    assertThat(TopicFilters.isValid("a/b#")).isFalse();
    assertThat(TopicFilters.isValid("a+/b")).isFalse();
    assertThat(TopicFilters.isValid("")).isFalse();
  }
}
