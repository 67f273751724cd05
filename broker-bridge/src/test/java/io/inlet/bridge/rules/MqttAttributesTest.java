package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.ingest.InboundMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttAttributesTest {

  @Test
  void metadata_of_an_mqtt5_publish_becomes_attributes() {
    InboundMessage message =
        Messages.withProperties(
            "a/b", "{}", List.of(Map.entry("unit", "C"), Map.entry("fw", "1.2")));
    assertThat(MqttAttributes.of(message).asMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "mqtt.topic", "a/b",
                "mqtt.clientId", "dev-2",
                "mqtt.username", "bob",
                "mqtt.qos", "2",
                "mqtt.retain", "true",
                "mqtt.contentType", "application/json",
                "mqtt.user.unit", "C",
                "mqtt.user.fw", "1.2"));
  }

  @Test
  void a_bridged_message_without_publisher_has_no_client_id_or_username() {
    InboundMessage message =
        new InboundMessage("t", new byte[0], 0, false, "", null, List.of(), null, "bridge:up");
    assertThat(MqttAttributes.of(message).asMap())
        .containsOnlyKeys("mqtt.topic", "mqtt.qos", "mqtt.retain")
        .containsEntry("mqtt.qos", "0")
        .containsEntry("mqtt.retain", "false");
  }

  @Test
  void repeated_user_property_names_keep_every_value_with_a_counter() {
    InboundMessage message =
        Messages.withProperties(
            "t",
            "",
            List.of(
                Map.entry("tag", "a"),
                Map.entry("tag", "b"),
                Map.entry("tag[3]", "literal"),
                Map.entry("tag", "c")));
    assertThat(MqttAttributes.of(message).asMap())
        .containsEntry("mqtt.user.tag", "a")
        .containsEntry("mqtt.user.tag[2]", "b")
        .containsEntry("mqtt.user.tag[3]", "literal")
        .containsEntry("mqtt.user.tag[4]", "c");
  }
}
