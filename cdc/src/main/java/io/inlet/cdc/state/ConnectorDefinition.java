package io.inlet.cdc.state;

import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import java.time.Instant;
import java.util.Map;

/**
 * A connector as created (and altered): its name, type, target, config as given, when it was
 * created, and whether it is paused. What the node keeps so that connectors come back after a
 * restart.
 */
public record ConnectorDefinition(
    String name,
    ConnectorType type,
    Target target,
    Map<String, String> config,
    Instant createdAt,
    boolean paused) {

  public ConnectorDefinition {
    config = Map.copyOf(config);
  }

  public ConnectorDefinition withPaused(boolean value) {
    return new ConnectorDefinition(name, type, target, config, createdAt, value);
  }

  public ConnectorDefinition withConfig(Map<String, String> value) {
    return new ConnectorDefinition(name, type, target, value, createdAt, paused);
  }
}
