package io.inlet.bridge.config;

/**
 * An entry of the {@code rules:} or {@code bridges:} section that is not valid; the message names
 * the entry and the key: {@code rules[0] (temps): shards: shards must be 1..1024, found: 0}.
 */
public final class InvalidRoutingConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRoutingConfigException(String message) {
    super(message);
  }
}
