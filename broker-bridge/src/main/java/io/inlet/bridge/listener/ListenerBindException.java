package io.inlet.bridge.listener;

/**
 * An endpoint of the MQTT listener could not listen. The message names the port and the setting,
 * e.g. {@code mqtt-port 1883 is already in use; choose another with --mqtt-port (0 picks a free
 * port)}.
 */
public final class ListenerBindException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final int port;

  public ListenerBindException(String message, String setting, int port, Throwable cause) {
    super(message, cause);
    this.setting = setting;
    this.port = port;
  }

  public String setting() {
    return setting;
  }

  public int port() {
    return port;
  }
}
