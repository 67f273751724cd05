package io.inlet.bridge.config;

import io.inlet.bridge.client.BridgeSpec;
import io.inlet.bridge.rules.MappingRule;
import java.util.List;
import java.util.Optional;

/**
 * The {@code rules:} and {@code bridges:} sections of the config file, validated (see {@link
 * RoutingConfigCodec}).
 *
 * @param rules the configured mapping rules in file order; empty when the file has no {@code
 *     rules:} section, which keeps the built-in catch-all rule
 * @param bridges the upstream brokers to bridge from
 */
public record RoutingConfig(Optional<List<MappingRule>> rules, List<BridgeSpec> bridges) {
  /** No config file: the built-in catch-all rule and no bridges. */
  public static final RoutingConfig DEFAULTS = new RoutingConfig(Optional.empty(), List.of());

  public RoutingConfig {
    rules = rules.map(List::copyOf);
    bridges = List.copyOf(bridges);
  }
}
