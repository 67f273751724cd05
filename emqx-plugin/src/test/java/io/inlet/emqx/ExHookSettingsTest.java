package io.inlet.emqx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExHookSettingsTest {

  @Test
  void parses_comma_separated_filters() {
    assertThat(ExHookSettings.parseTopicFilters(" sensors/# , alerts/+/high,#"))
        .containsExactly("sensors/#", "alerts/+/high", "#");
    assertThat(ExHookSettings.parseTopicFilters("+")).containsExactly("+");
    assertThat(ExHookSettings.parseTopicFilters("a//b,/x")).containsExactly("a//b", "/x");
  }

  @Test
  void rejects_invalid_filters_naming_them() {
    assertThatThrownBy(() -> ExHookSettings.parseTopicFilters("a/#/b"))
        .hasMessageContaining("\"a/#/b\"");
    assertThatThrownBy(() -> ExHookSettings.parseTopicFilters("a/b#"))
        .hasMessageContaining("\"a/b#\"");
    assertThatThrownBy(() -> ExHookSettings.parseTopicFilters("a/b+/c"))
        .hasMessageContaining("\"a/b+/c\"");
    assertThatThrownBy(() -> ExHookSettings.parseTopicFilters(" , "))
        .hasMessageContaining("at least one");
  }

  @Test
  void settings_check_their_values() {
    assertThat(ExHookSettings.defaults("127.0.0.1", 9000).topicFilters()).containsExactly("#");
    assertThatThrownBy(() -> ExHookSettings.defaults("127.0.0.1", 70000))
        .hasMessage("port must be 0..65535, found: 70000");
    assertThatThrownBy(() -> ExHookSettings.defaults("h", 1).withTopicFilters(List.of("a/#/b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExHookSettings.defaults("h", 1).withAnswerTimeout(Duration.ZERO))
        .hasMessageContaining("answerTimeout must be positive");
  }
}
