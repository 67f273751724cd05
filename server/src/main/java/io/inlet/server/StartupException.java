package io.inlet.server;

/**
 * The server could not start. The message is one line meant for the user as it is, e.g. {@code
 * grpc-port 6570 is already in use; choose another with --grpc-port}; nothing stays open.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
