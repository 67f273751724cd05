package io.inlet.bridge.rules;

import io.inlet.api.ingest.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Inbound messages for tests. */
final class Messages {
  private Messages() {}

  static InboundMessage publish(String topic, String payload) {
    return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  static InboundMessage publish(String topic, byte[] payload) {
    return new InboundMessage(topic, payload, 1, false, "dev-1", null, List.of(), null, "test");
  }

  static InboundMessage withProperties(
      String topic, String payload, List<Map.Entry<String, String>> properties) {
    return new InboundMessage(
        topic,
        payload.getBytes(StandardCharsets.UTF_8),
        2,
        true,
        "dev-2",
        "bob",
        properties,
        "application/json",
        "test");
  }
}
