package io.inlet.cdc.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated connector config: every key of the spec (given, or its default) plus, for sources,
 * the other keys as given. Values are strings; typed getters read what the validator checked.
 * Immutable.
 */
public final class ConnectorConfig {
  private final ConnectorSpec spec;
  private final Map<String, String> values;
  private final Map<String, String> given;

  ConnectorConfig(ConnectorSpec spec, Map<String, String> values, Map<String, String> given) {
    this.spec = spec;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
  }

  public ConnectorSpec spec() {
    return spec;
  }

  /** The value of {@code key} (its default when not given), or null when it has neither. */
  public String get(String key) {
    return values.get(key);
  }

  public int getInt(String key) {
    return Integer.parseInt(values.get(key));
  }

  public long getLong(String key) {
    return Long.parseLong(values.get(key));
  }

  /** Every value, defaults included, in spec order then the passed-through keys. */
  public Map<String, String> values() {
    return values;
  }

  /** The keys as the user gave them (what GetConnector shows, with the password masked). */
  public Map<String, String> given() {
    return given;
  }

  /** The keys the spec does not list (passed to Debezium as given). */
  public Map<String, String> passThrough() {
    Map<String, String> other = new LinkedHashMap<>();
    given.forEach(
        (k, v) -> {
          if (spec.key(k).isEmpty()) {
            other.put(k, v);
          }
        });
    return other;
  }
}
