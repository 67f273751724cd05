package io.inlet.bridge.listener;

/**
 * What the listener does with an MQTT 3 publish it does not store (no rule matched, the rule
 * rejected it, or the ACL denied it). MQTT 3 has no reason codes on PUBACK, so the client either
 * gets a normal acknowledgement for a message that was dropped, or loses its connection. MQTT 5
 * clients always get the reason code instead.
 */
public enum RefusedPublishPolicy {
  /** Acknowledge as usual and drop the message (counted). */
  DROP,
  /** Close the connection without acknowledging. */
  DISCONNECT
}
