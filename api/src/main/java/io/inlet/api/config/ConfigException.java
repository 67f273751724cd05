package io.inlet.api.config;

/**
 * A setting that cannot be used. The message names the key and the bad value, e.g. {@code grpc-port
 * must be 0..65535, found: 70000}; it is meant to be shown to the user as it is.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
