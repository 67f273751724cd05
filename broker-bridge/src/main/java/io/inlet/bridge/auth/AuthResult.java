package io.inlet.bridge.auth;

/**
 * The answer to a CONNECT's credentials.
 *
 * @param outcome accepted, or why not
 * @param identity who the client is when accepted; null otherwise
 */
public record AuthResult(Outcome outcome, Identity identity) {
  public enum Outcome {
    ACCEPTED,
    /** Credentials were given and are wrong (or cannot be checked): MQTT 0x04 / 0x86. */
    BAD_CREDENTIALS,
    /** No usable credentials and anonymous access is off: MQTT 0x05 / 0x87. */
    NOT_AUTHORIZED,
    /**
     * Too many failed logins from the client's address; nothing was checked: MQTT 0x05 / 0x8A
     * (Banned).
     */
    THROTTLED
  }

  public static AuthResult accepted(Identity identity) {
    return new AuthResult(Outcome.ACCEPTED, identity);
  }

  public static AuthResult refused(Outcome outcome) {
    return new AuthResult(outcome, null);
  }

  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
