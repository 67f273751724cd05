package io.inlet.emqx;

/** What Inlet tells EMQX about one published message. */
enum PublishVerdict {
  /** Route the message as it is (CONTINUE with the message unchanged). */
  CONTINUE,
  /**
   * Drop the message because Inlet could not store it and deny-on-failure is on (STOP_AND_RETURN
   * with header {@code allow_publish=false}).
   */
  DENY,
  /**
   * Drop the message because MQTT would have refused it (an empty topic, a wildcard or NUL in it, a
   * QoS above 2): nothing stored, and the same answer as {@link #DENY}, whatever deny-on-failure
   * says.
   */
  REFUSE;

  /** Whether EMQX is told to drop the message. */
  boolean dropsMessage() {
    return this != CONTINUE;
  }
}
