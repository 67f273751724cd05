package io.inlet.bridge.client;

/**
 * A bridge setting that cannot be used, naming the setting ({@code host}, {@code topics}, ...) and
 * the bad value in a message meant for the user as it is.
 */
public final class InvalidBridgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidBridgeException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
