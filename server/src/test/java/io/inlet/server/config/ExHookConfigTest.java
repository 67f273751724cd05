package io.inlet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExHookConfigTest {
  @TempDir Path dir;

  @Test
  void exhook_is_on_at_9000_for_every_topic_by_default() {
    ExHookConfig exhook = ServerConfigLoader.load(Map.of(), null).exhook();
    assertThat(exhook)
        .isEqualTo(new ExHookConfig(true, 9000, false, List.of("#"), false, Duration.ofSeconds(4)));
  }

  @Test
  void a_port_from_the_file_or_a_flag_counts_as_given() throws Exception {
    Path file = dir.resolve("inlet.yaml");
    Files.writeString(
        file,
        "exhook-port: 9100\nexhook-topics: 'sensors/#, alerts/+/high'\n"
            + "exhook-deny-on-failure: true\nexhook-answer-timeout: 2500ms\n");
    ExHookConfig fromFile = ServerConfigLoader.load(Map.of(), file).exhook();
    assertThat(fromFile)
        .isEqualTo(
            new ExHookConfig(
                true,
                9100,
                true,
                List.of("sensors/#", "alerts/+/high"),
                true,
                Duration.ofMillis(2500)));
    assertThat(fromFile.settings("0.0.0.0").host()).isEqualTo("0.0.0.0");

    ExHookConfig fromFlag =
        ServerConfigLoader.load(Map.of("exhook-port", "9000", "exhook-enabled", "off"), null)
            .exhook();
    assertThat(fromFlag.portGiven()).isTrue();
    assertThat(fromFlag.enabled()).isFalse();
  }

  @Test
  void bad_values_name_the_key() {
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("exhook-topics", "a/#/b"), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("exhook-topics has an invalid topic filter \"a/#/b\"")
        .hasMessageEndingWith(", found: a/#/b");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("exhook-port", "70000"), null))
        .hasMessage("exhook-port must be 0..65535, found: 70000");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("exhook-answer-timeout", "0s"), null))
        .hasMessageStartingWith("exhook-answer-timeout must be a duration");
  }
}
