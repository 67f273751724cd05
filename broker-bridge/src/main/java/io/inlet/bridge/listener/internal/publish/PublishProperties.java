package io.inlet.bridge.listener.internal.publish;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** MQTT 5 publish (and will) properties that ride along into records. */
public final class PublishProperties {
  private PublishProperties() {}

  /** User properties in order; empty when none (always for MQTT 3). */
  public static List<Map.Entry<String, String>> userProperties(MqttProperties properties) {
    if (properties == null || properties.isEmpty()) {
      return List.of();
    }
    List<?> all = properties.getProperties(MqttProperties.USER_PROPERTY);
    if (all.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> out = new ArrayList<>(all.size());
    for (Object p : all) {
      if (p instanceof MqttProperties.UserProperty u) {
        out.add(Map.entry(u.value().key, u.value().value));
      } else if (p instanceof MqttProperties.UserProperties us) {
        for (MqttProperties.StringPair pair : us.value()) {
          out.add(Map.entry(pair.key, pair.value));
        }
      }
    }
    return List.copyOf(out);
  }

  /** The content type, or null. */
  public static String contentType(MqttProperties properties) {
    if (properties == null || properties.isEmpty()) {
      return null;
    }
    MqttProperties.MqttProperty<?> p = properties.getProperty(MqttProperties.CONTENT_TYPE);
    return p == null ? null : String.valueOf(p.value());
  }

  /** The topic alias, or -1 when absent. */
  public static int topicAlias(MqttProperties properties) {
    if (properties == null || properties.isEmpty()) {
      return -1;
    }
    MqttProperties.MqttProperty<?> p = properties.getProperty(MqttProperties.TOPIC_ALIAS);
    return p != null && p.value() instanceof Integer alias ? alias : -1;
  }
}
