package io.inlet.bridge.rules;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.record.RecordAttributes;
import java.util.List;
import java.util.Map;

/**
 * The record attributes that carry a message's MQTT metadata:
 *
 * <ul>
 *   <li>{@code mqtt.topic}: the topic; {@code mqtt.qos}: {@code 0}, {@code 1} or {@code 2}; {@code
 *       mqtt.retain}: {@code true} or {@code false} (always present)
 *   <li>{@code mqtt.clientId}: the publisher's, when known (a bridged message does not say who
 *       published it upstream); {@code mqtt.username}: the publisher's authenticated username (see
 *       {@link InboundMessage#username()}), absent for anonymous publishers
 *   <li>{@code mqtt.contentType}: the MQTT 5 content type, when set
 *   <li>{@code mqtt.user.NAME}: each MQTT 5 user property. A name that repeats keeps every value:
 *       the first under {@code mqtt.user.NAME}, the second under {@code mqtt.user.NAME[2]}, the
 *       third under {@code mqtt.user.NAME[3]}, and so on; should such a key be taken already (a
 *       property literally named {@code NAME[2]}), the count goes on to the next free one. Nothing
 *       is dropped.
 * </ul>
 */
public final class MqttAttributes {
  public static final String TOPIC = "mqtt.topic";
  public static final String CLIENT_ID = "mqtt.clientId";
  public static final String USERNAME = "mqtt.username";
  public static final String QOS = "mqtt.qos";
  public static final String RETAIN = "mqtt.retain";
  public static final String CONTENT_TYPE = "mqtt.contentType";
  public static final String USER_PROPERTY_PREFIX = "mqtt.user.";

  private static final String[] QOS_TEXT = {"0", "1", "2"};

  private MqttAttributes() {}

  /** The attributes of {@code message}, in name order (see {@link RecordAttributes}). */
  public static RecordAttributes of(InboundMessage message) {
    List<Map.Entry<String, String>> properties =
        message.userProperties() == null ? List.of() : message.userProperties();
    RecordAttributes attributes = new RecordAttributes(6 + properties.size());
    attributes.putIfAbsent(TOPIC, message.topic());
    int qos = message.qos();
    attributes.putIfAbsent(QOS, qos >= 0 && qos <= 2 ? QOS_TEXT[qos] : Integer.toString(qos));
    attributes.putIfAbsent(RETAIN, message.retain() ? "true" : "false");
    if (message.clientId() != null && !message.clientId().isEmpty()) {
      attributes.putIfAbsent(CLIENT_ID, message.clientId());
    }
    if (message.username() != null) {
      attributes.putIfAbsent(USERNAME, message.username());
    }
    if (message.contentType() != null) {
      attributes.putIfAbsent(CONTENT_TYPE, message.contentType());
    }
    for (Map.Entry<String, String> property : properties) {
      String base = USER_PROPERTY_PREFIX + property.getKey();
      String value = property.getValue() == null ? "" : property.getValue();
      if (attributes.putIfAbsent(base, value)) {
        continue;
      }
      for (int n = 2; ; n++) {
        if (attributes.putIfAbsent(base + "[" + n + "]", value)) {
          break;
        }
      }
    }
    return attributes;
  }
}
