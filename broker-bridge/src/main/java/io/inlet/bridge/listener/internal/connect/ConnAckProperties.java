package io.inlet.bridge.listener.internal.connect;

import io.inlet.bridge.listener.MqttListenerSettings;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;

/** What an MQTT 5 CONNACK tells the client about the server's limits and choices. */
public final class ConnAckProperties {
  private ConnAckProperties() {}

  public static MqttProperties of(ConnectRequest request, MqttListenerSettings settings) {
    MqttProperties p = new MqttProperties();
    p.add(int16(MqttProperties.RECEIVE_MAXIMUM, settings.receiveMaximum()));
    p.add(int16(MqttProperties.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum()));
    p.add(new IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, settings.maxPacketSize()));
    // Inlet takes publishes only: no subscriptions of any kind.
    p.add(new IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 0));
    p.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
    p.add(new IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
    if (request.assignedClientId()) {
      p.add(new StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, request.clientId()));
    }
    if (request.keepAliveChanged()) {
      p.add(int16(MqttProperties.SERVER_KEEP_ALIVE, request.keepAliveSeconds()));
    }
    if (request.expiryChanged()) {
      p.add(
          new IntegerProperty(
              MqttProperties.SESSION_EXPIRY_INTERVAL, (int) request.expirySeconds()));
    }
    return p;
  }

  private static IntegerProperty int16(int id, int value) {
    return new IntegerProperty(id, value);
  }
}
