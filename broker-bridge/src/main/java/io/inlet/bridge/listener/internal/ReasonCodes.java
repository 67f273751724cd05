package io.inlet.bridge.listener.internal;

import io.inlet.bridge.listener.ListenerStats.Event;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;

/**
 * MQTT 5 reason codes the listener sends, their MQTT 3 CONNACK equivalents, and how a refused
 * CONNECT is counted.
 */
public final class ReasonCodes {
  private ReasonCodes() {}

  public static final int SUCCESS = 0x00;
  public static final int NO_MATCHING_SUBSCRIBERS = 0x10;
  public static final int NO_SUBSCRIPTION_EXISTED = 0x11;
  public static final int DISCONNECT_WITH_WILL = 0x04;
  public static final int UNSPECIFIED_ERROR = 0x80;
  public static final int MALFORMED_PACKET = 0x81;
  public static final int PROTOCOL_ERROR = 0x82;
  public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
  public static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;
  public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
  public static final int BAD_USERNAME_OR_PASSWORD = 0x86;
  public static final int NOT_AUTHORIZED = 0x87;
  public static final int SERVER_UNAVAILABLE = 0x88;
  public static final int BANNED = 0x8A;
  public static final int SERVER_SHUTTING_DOWN = 0x8B;
  public static final int BAD_AUTHENTICATION_METHOD = 0x8C;
  public static final int KEEP_ALIVE_TIMEOUT = 0x8D;
  public static final int SESSION_TAKEN_OVER = 0x8E;
  public static final int TOPIC_NAME_INVALID = 0x90;
  public static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
  public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
  public static final int TOPIC_ALIAS_INVALID = 0x94;
  public static final int PACKET_TOO_LARGE = 0x95;
  public static final int QUOTA_EXCEEDED = 0x97;
  public static final int PAYLOAD_FORMAT_INVALID = 0x99;

  /**
   * Not a reason code: the decision to close the connection without answering (MQTT 3 has no way to
   * say why).
   */
  public static final int CLOSE = -1;

  /** The reason to refuse a CONNECT the decoder could not decode, by the decoder's failure. */
  public static int connectRefusalFor(Throwable decodeFailure) {
    if (decodeFailure instanceof MqttUnacceptableProtocolVersionException) {
      return UNSUPPORTED_PROTOCOL_VERSION;
    }
    if (decodeFailure instanceof MqttIdentifierRejectedException) {
      return CLIENT_IDENTIFIER_NOT_VALID;
    }
    if (decodeFailure instanceof TooLongFrameException) {
      return PACKET_TOO_LARGE;
    }
    return MALFORMED_PACKET;
  }

  /** The counter a CONNECT refused with {@code reasonV5} is counted under. */
  public static Event connectRefusalEvent(int reasonV5) {
    return switch (reasonV5) {
      case BAD_USERNAME_OR_PASSWORD -> Event.CONNECT_REFUSED_CREDENTIALS;
      case NOT_AUTHORIZED -> Event.CONNECT_REFUSED_NOT_AUTHORIZED;
      case BANNED -> Event.CONNECT_REFUSED_LOGIN_THROTTLED;
      case MALFORMED_PACKET -> Event.MALFORMED_PACKET;
      case PROTOCOL_ERROR -> Event.PROTOCOL_ERROR;
      default -> Event.CONNECT_REFUSED_OTHER;
    };
  }

  /**
   * The MQTT 3 CONNACK return code for an MQTT 5 refusal, or {@link #CLOSE} when MQTT 3 closes the
   * connection without a CONNACK (malformed packet, protocol error).
   */
  public static int connackV3(int reasonV5) {
    return switch (reasonV5) {
      case SUCCESS -> 0x00;
      case UNSUPPORTED_PROTOCOL_VERSION -> 0x01;
      case CLIENT_IDENTIFIER_NOT_VALID -> 0x02;
      case SERVER_UNAVAILABLE, QUOTA_EXCEEDED, SERVER_SHUTTING_DOWN -> 0x03;
      case BAD_USERNAME_OR_PASSWORD -> 0x04;
      case NOT_AUTHORIZED, BANNED -> 0x05;
      default -> CLOSE;
    };
  }
}
