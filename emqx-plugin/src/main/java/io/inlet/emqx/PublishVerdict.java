package io.inlet.emqx;

/** What Inlet tells EMQX about one published message. */
enum PublishVerdict {
  /** Route the message as it is (CONTINUE with the message unchanged). */
  CONTINUE,
  /** Drop the message (STOP_AND_RETURN with header {@code allow_publish=false}). */
  DENY
}
