package io.inlet.bridge.listener.internal.session;

import io.inlet.api.ingest.InboundMessage;

/**
 * A will message from CONNECT, stored through the ingestor like a publish when it fires.
 *
 * @param message the message as it will be ingested
 * @param delaySeconds MQTT 5 will delay interval (0 for MQTT 3)
 */
public record Will(InboundMessage message, long delaySeconds) {

  /**
   * The same will, published under {@code username}: the verified username of the client, or null
   * for an anonymous one.
   */
  public Will withUsername(String username) {
    InboundMessage m = message;
    return new Will(
        new InboundMessage(
            m.topic(),
            m.payload(),
            m.qos(),
            m.retain(),
            m.clientId(),
            username,
            m.userProperties(),
            m.contentType(),
            m.source()),
        delaySeconds);
  }
}
