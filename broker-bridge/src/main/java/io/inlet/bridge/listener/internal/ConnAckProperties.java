package io.inlet.bridge.listener.internal;

import io.inlet.bridge.listener.MqttListenerSettings;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;

/** What an MQTT 5 CONNACK tells the client about the server's limits and choices. */
final class ConnAckProperties {
  private ConnAckProperties() {}

  static MqttProperties of(ConnectRequest request, MqttListenerSettings settings) {
    MqttProperties p = new MqttProperties();
    p.add(int16(MqttPropertyType.RECEIVE_MAXIMUM, settings.receiveMaximum()));
    p.add(int16(MqttPropertyType.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum()));
    p.add(
        new IntegerProperty(
            MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), settings.maxPacketSize()));
    // Inlet takes publishes only: no subscriptions of any kind.
    p.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 0));
    p.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
    p.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
    if (request.assignedClientId()) {
      p.add(
          new StringProperty(
              MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), request.clientId()));
    }
    if (request.keepAliveChanged()) {
      p.add(int16(MqttPropertyType.SERVER_KEEP_ALIVE, request.keepAliveSeconds()));
    }
    if (request.expiryChanged()) {
      p.add(
          new IntegerProperty(
              MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) request.expirySeconds()));
    }
    return p;
  }

  private static IntegerProperty int16(MqttPropertyType type, int value) {
    return new IntegerProperty(type.value(), value);
  }
}
