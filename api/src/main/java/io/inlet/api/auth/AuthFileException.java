package io.inlet.api.auth;

/**
 * A password or ACL file that cannot be used. The message names the file (and the line) and is
 * meant for the user as it is.
 */
public final class AuthFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuthFileException(String message) {
    super(message);
  }
}
