package io.inlet.bridge.listener.internal.connect;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.topic.TopicNames;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.internal.ReasonCodes;
import io.inlet.bridge.listener.internal.publish.PublishProperties;
import io.inlet.bridge.listener.internal.session.Will;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A CONNECT, checked and with the server's limits applied.
 *
 * @param refusal 0 when acceptable, else the MQTT 5 reason code to refuse with (see {@link
 *     ReasonCodes#connackV3} for MQTT 3)
 * @param assignedClientId true when the client sent an empty id and the server chose one
 * @param keepAliveSeconds the keep-alive in force (the client's, capped)
 * @param keepAliveChanged true when it differs from the client's (MQTT 5: Server Keep Alive)
 * @param expirySeconds session expiry in force (the client's, capped; MQTT 3: 0 or the cap)
 * @param expiryChanged true when it differs from what an MQTT 5 client asked
 */
public record ConnectRequest(
    int refusal,
    MqttVersion version,
    String clientId,
    boolean assignedClientId,
    boolean cleanStart,
    int keepAliveSeconds,
    boolean keepAliveChanged,
    long expirySeconds,
    boolean expiryChanged,
    String username,
    byte[] password,
    Will will) {

  public static ConnectRequest refused(MqttVersion version, int reason) {
    return new ConnectRequest(
        reason, version, null, false, false, 0, false, 0, false, null, null, null);
  }

  /** Checks a decoded CONNECT against the protocol's rules and the listener's limits. */
  public static ConnectRequest of(MqttConnectMessage connect, MqttListenerSettings settings) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    MqttVersion version =
        MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
    boolean v5 = version == MqttVersion.MQTT_5;

    if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
      return refused(version, ReasonCodes.MALFORMED_PACKET);
    }
    if (header.willQos() > 2) {
      return refused(version, ReasonCodes.MALFORMED_PACKET);
    }
    if (!v5 && header.hasPassword() && !header.hasUserName()) {
      return refused(version, ReasonCodes.MALFORMED_PACKET);
    }
    MqttProperties properties = header.properties();
    if (v5) {
      int problem =
          ConnectProperties.check(
              properties, header.isWillFlag() ? payload.willProperties() : null);
      if (problem != 0) {
        return refused(version, problem);
      }
    }
    if (v5 && properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      return refused(version, ReasonCodes.BAD_AUTHENTICATION_METHOD);
    }

    String clientId = payload.clientIdentifier();
    boolean assigned = false;
    if (clientId == null || clientId.isEmpty()) {
      if (!v5 && !header.isCleanSession()) {
        return refused(version, ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID);
      }
      clientId = "inlet-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 62));
      assigned = true;
    }

    int clientKeepAlive = header.keepAliveTimeSeconds();
    int keepAlive =
        clientKeepAlive == 0
            ? settings.keepAliveMaxSeconds()
            : Math.min(clientKeepAlive, settings.keepAliveMaxSeconds());

    long maxExpiry = settings.maxSessionExpirySeconds();
    long expiry;
    boolean expiryChanged = false;
    if (v5) {
      long asked = intProperty(properties, MqttProperties.SESSION_EXPIRY_INTERVAL);
      expiry = Math.min(asked, maxExpiry);
      expiryChanged = expiry != asked;
    } else {
      expiry = header.isCleanSession() ? 0 : maxExpiry;
    }

    Will will = null;
    if (header.isWillFlag()) {
      String topic = payload.willTopic();
      if (!TopicNames.isValid(topic)) {
        return refused(version, v5 ? ReasonCodes.TOPIC_NAME_INVALID : ReasonCodes.MALFORMED_PACKET);
      }
      MqttProperties willProperties = payload.willProperties();
      InboundMessage message =
          new InboundMessage(
              topic,
              payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes(),
              header.willQos(),
              header.isWillRetain(),
              clientId,
              null, // who published it is known once the credentials are checked
              PublishProperties.userProperties(willProperties),
              PublishProperties.contentType(willProperties),
              "listener");
      long delay = v5 ? intProperty(willProperties, MqttProperties.WILL_DELAY_INTERVAL) : 0;
      will = new Will(message, delay);
    }
    return new ConnectRequest(
        0,
        version,
        clientId,
        assigned,
        header.isCleanSession(),
        keepAlive,
        keepAlive != clientKeepAlive,
        expiry,
        expiryChanged,
        header.hasUserName() ? payload.userName() : null,
        header.hasPassword() ? payload.passwordInBytes() : null,
        will);
  }

  /** An unsigned 32-bit integer property, 0 when absent. */
  private static long intProperty(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(id);
    if (p == null || !(p.value() instanceof Integer value)) {
      return 0;
    }
    return Integer.toUnsignedLong(value);
  }

  public boolean isV5() {
    return version == MqttVersion.MQTT_5;
  }
}
