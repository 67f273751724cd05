package io.inlet.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.bridge.rules.PayloadMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingConfigCodecTest {

  @Test
  void a_rules_fields_read_back_as_the_same_rule() {
    MappingRule rule =
        MappingRule.builder("r").topic("a/+").stream("s")
            .payload(PayloadMode.JSON)
            .autoCreateStream(false)
            .shards(4)
            .position(3)
            .build();

    assertThat(RoutingConfigCodec.rule(RoutingConfigCodec.ruleFields(rule))).isEqualTo(rule);
  }

  @Test
  void absent_keys_take_the_defaults_the_reference_documents() {
    RoutingConfig config =
        RoutingConfigCodec.parse(
            Map.of(
                "rules", List.of(Map.of("name", "r", "topic", "a/#", "stream", "s")),
                "bridges", List.of(Map.of("name", "b", "host", "h", "topics", List.of("x/#")))),
            null);

    MappingRule rule = config.rules().orElseThrow().get(0);
    assertThat(rule).isEqualTo(MappingRule.builder("r").topic("a/#").stream("s").build());
    assertThat(RoutingConfigCodec.markdown())
        .contains("| `key` | template | `" + rule.keyTemplate() + "` |")
        .contains("| `payload` | raw \\| json | `" + rule.payloadMode().configName() + "` |")
        .contains("| `shards` | integer | `" + rule.shardCount() + "` |")
        .contains("| `position` | integer | `" + rule.position() + "` |");
    BridgeSpec bridge = config.bridges().get(0);
    assertThat(bridge.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(bridge.sessionExpiry()).isEqualTo(Duration.ofDays(7));
    assertThat(RoutingConfigCodec.markdown())
        .contains("| `keep-alive` | duration | `60s` |")
        .contains("| `session-expiry` | duration | `7d` |");
  }

  @Test
  void numbers_and_booleans_may_come_typed_or_as_text() {
    RoutingConfig config =
        RoutingConfigCodec.parse(
            Map.of(
                "rules",
                List.of(
                    Map.of(
                        "name",
                        "r",
                        "topic",
                        "a",
                        "stream",
                        "s",
                        "shards",
                        2.0,
                        "auto-create",
                        "no"))),
            null);

    MappingRule rule = config.rules().orElseThrow().get(0);
    assertThat(rule.shardCount()).isEqualTo(2);
    assertThat(rule.autoCreateStream()).isFalse();
  }

  @Test
  void errors_name_the_entry_and_the_key() {
    assertThatThrownBy(
            () ->
                RoutingConfigCodec.parse(
                    Map.of("rules", List.of(Map.of("name", "r", "topik", "a"))), null))
        .isInstanceOf(InvalidRoutingConfigException.class)
        .hasMessageStartingWith("rules[0] (r): unknown key topik; known: name, topic, stream");
    assertThatThrownBy(
            () ->
                RoutingConfigCodec.parse(
                    Map.of(
                        "bridges",
                        List.of(
                            Map.of(
                                "name",
                                "b",
                                "host",
                                "h",
                                "topics",
                                List.of("a"),
                                "keep-alive",
                                "soon"))),
                    null))
        .hasMessage(
            "bridges[0] (b): keep-alive: keep-alive must be a duration such as 500ms, 60s or 5m,"
                + " at least 0s, found: soon");
  }
}
