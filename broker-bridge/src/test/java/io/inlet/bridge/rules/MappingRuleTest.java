package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MappingRuleTest {

  private static MappingRule.Builder valid() {
    return MappingRule.builder("temps").topic("sensors/+/temp").stream("temperatures");
  }

  private static void refused(MappingRule.Builder builder, String field, String message) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((InvalidRuleException) e).field()).isEqualTo(field));
  }

  @Test
  void defaults_are_client_id_key_raw_payload_auto_create_one_shard_position_100() {
    MappingRule rule = valid().build();
    assertThat(rule.keyTemplate().toString()).isEqualTo("${clientid}");
    assertThat(rule.payloadMode()).isEqualTo(PayloadMode.RAW);
    assertThat(rule.nonJson()).isEqualTo(NonJsonPolicy.REJECT);
    assertThat(rule.autoCreateStream()).isTrue();
    assertThat(rule.shardCount()).isEqualTo(1);
    assertThat(rule.position()).isEqualTo(100);
    assertThat(rule.toBuilder().build()).isEqualTo(rule);
  }

  @Test
  void every_setting_is_validated_and_the_message_names_rule_and_value() {
    refused(valid().topic("a/#/b"), "topic", "rule \"temps\": topic filter \"a/#/b\" is invalid");
    refused(valid().topic(null), "topic", "topic filter (none) is invalid: it is empty");
    refused(valid().topic("$share/group/a/b"), "topic", "shared subscription");
    refused(valid().topic("a/b#"), "topic", "'#' must be a whole level");
    refused(valid().stream("bad stream"), "stream", "stream name \"bad stream\" is invalid");
    refused(valid().stream(null), "stream", "stream name (none) is invalid");
    refused(
        valid().key("${nope}"),
        "key",
        "rule \"temps\": key template \"${nope}\": unknown placeholder ${nope}");
    refused(valid().shards(0), "shards", "shards must be 1..1024, found: 0");
    refused(valid().shards(2000), "shards", "found: 2000");
    refused(valid().position(-1), "position", "position must be 0..1000000, found: -1");
    refused(
        MappingRule.builder("_x").topic("a").stream("s"), "name", "rule name \"_x\" is invalid");
    refused(MappingRule.builder("").topic("a").stream("s"), "name", "it is empty");
  }

  @Test
  void payload_and_non_json_parse_their_config_names() {
    assertThat(PayloadMode.parse("JSON")).isEqualTo(PayloadMode.JSON);
    assertThat(NonJsonPolicy.parse("raw")).isEqualTo(NonJsonPolicy.RAW);
    assertThatThrownBy(() -> PayloadMode.parse("avro"))
        .hasMessage("payload must be raw or json, found: avro");
    assertThatThrownBy(() -> NonJsonPolicy.parse("drop"))
        .hasMessage("non-json must be reject or raw, found: drop");
  }
}
