package io.inlet.bridge.listener.internal;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

/**
 * The packets the listener sends. The encoder writes them for the connection's protocol version
 * (reason codes and properties only for MQTT 5).
 */
public final class Packets {
  private Packets() {}

  private static MqttFixedHeader header(MqttMessageType type) {
    return new MqttFixedHeader(
        type,
        false,
        type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE,
        false,
        0);
  }

  public static MqttConnAckMessage connAck(
      int code, boolean sessionPresent, MqttProperties properties) {
    return new MqttConnAckMessage(
        header(MqttMessageType.CONNACK),
        new MqttConnAckVariableHeader(
            MqttConnectReturnCode.valueOf((byte) code), sessionPresent, properties));
  }

  public static MqttMessage pubAck(int packetId, int reason) {
    return pubReply(MqttMessageType.PUBACK, packetId, reason);
  }

  public static MqttMessage pubRec(int packetId, int reason) {
    return pubReply(MqttMessageType.PUBREC, packetId, reason);
  }

  public static MqttMessage pubComp(int packetId, int reason) {
    return pubReply(MqttMessageType.PUBCOMP, packetId, reason);
  }

  private static MqttMessage pubReply(MqttMessageType type, int packetId, int reason) {
    return new MqttMessage(
        header(type),
        new MqttPubReplyMessageVariableHeader(
            packetId, (byte) reason, MqttProperties.NO_PROPERTIES));
  }

  public static MqttMessage disconnect(int reason) {
    return new MqttMessage(
        header(MqttMessageType.DISCONNECT),
        new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, MqttProperties.NO_PROPERTIES));
  }

  public static MqttMessage pingResp() {
    return MqttMessage.PINGRESP;
  }

  public static MqttSubAckMessage subAck(int packetId, int code, int count) {
    int[] codes = new int[count];
    java.util.Arrays.fill(codes, code);
    return new MqttSubAckMessage(
        header(MqttMessageType.SUBACK),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes));
  }

  public static MqttUnsubAckMessage unsubAck(int packetId, int code, int count) {
    short[] codes = new short[count];
    java.util.Arrays.fill(codes, (short) code);
    return new MqttUnsubAckMessage(
        header(MqttMessageType.UNSUBACK),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttUnsubAckPayload(codes));
  }
}
