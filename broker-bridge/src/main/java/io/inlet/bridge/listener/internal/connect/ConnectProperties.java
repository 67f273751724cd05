package io.inlet.bridge.listener.internal.connect;

import io.inlet.bridge.listener.internal.ReasonCodes;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import java.util.Set;

/**
 * The MQTT 5 properties of a CONNECT and of its will, checked as MQTT 5 says (§3.1.2.11, §3.1.3.2):
 * a property that does not belong there makes a Malformed Packet (0x81); a value the spec forbids,
 * a Protocol Error (0x82). Netty decodes any known property anywhere and keeps the last of a
 * repeated one, so repetitions cannot be seen here.
 */
public final class ConnectProperties {
  private ConnectProperties() {}

  private static final Set<Integer> CONNECT =
      Set.of(
          MqttProperties.SESSION_EXPIRY_INTERVAL,
          MqttProperties.RECEIVE_MAXIMUM,
          MqttProperties.MAXIMUM_PACKET_SIZE,
          MqttProperties.TOPIC_ALIAS_MAXIMUM,
          MqttProperties.REQUEST_RESPONSE_INFORMATION,
          MqttProperties.REQUEST_PROBLEM_INFORMATION,
          MqttProperties.USER_PROPERTY,
          MqttProperties.AUTHENTICATION_METHOD,
          MqttProperties.AUTHENTICATION_DATA);

  private static final Set<Integer> WILL =
      Set.of(
          MqttProperties.WILL_DELAY_INTERVAL,
          MqttProperties.PAYLOAD_FORMAT_INDICATOR,
          MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
          MqttProperties.CONTENT_TYPE,
          MqttProperties.RESPONSE_TOPIC,
          MqttProperties.CORRELATION_DATA,
          MqttProperties.USER_PROPERTY);

  /**
   * 0 when the properties are acceptable, else the MQTT 5 reason code to refuse the CONNECT with.
   *
   * @param will the will's properties, or null without a will
   */
  public static int check(MqttProperties connect, MqttProperties will) {
    for (MqttProperty<?> p : connect.listAll()) {
      if (!CONNECT.contains(p.propertyId())) {
        return ReasonCodes.MALFORMED_PACKET;
      }
    }
    if (will != null) {
      for (MqttProperty<?> p : will.listAll()) {
        if (!WILL.contains(p.propertyId())) {
          return ReasonCodes.MALFORMED_PACKET;
        }
      }
    }
    if (is(connect, MqttProperties.RECEIVE_MAXIMUM, 0)
        || is(connect, MqttProperties.MAXIMUM_PACKET_SIZE, 0)
        || !zeroOrOne(connect, MqttProperties.REQUEST_PROBLEM_INFORMATION)
        || !zeroOrOne(connect, MqttProperties.REQUEST_RESPONSE_INFORMATION)
        || (connect.getProperty(MqttProperties.AUTHENTICATION_DATA) != null
            && connect.getProperty(MqttProperties.AUTHENTICATION_METHOD) == null)) {
      return ReasonCodes.PROTOCOL_ERROR;
    }
    return 0;
  }

  private static boolean is(MqttProperties properties, int id, int value) {
    MqttProperty<?> p = properties.getProperty(id);
    return p != null && p.value() instanceof Integer v && v == value;
  }

  private static boolean zeroOrOne(MqttProperties properties, int id) {
    MqttProperty<?> p = properties.getProperty(id);
    return p == null || (p.value() instanceof Integer v && (v == 0 || v == 1));
  }
}
