package io.inlet.cdc.config;

import java.util.List;

/**
 * One key of a connector's config: its name, type, default (null when it has none), whether it must
 * be given, what it means, and, for enumerations, the values it takes. {@link ConnectorSpec} lists
 * them; {@link ConfigValidator} checks a config against them.
 */
public record ConfigKey(
    String name,
    ValueType type,
    String defaultValue,
    boolean required,
    String description,
    List<String> choices,
    long min,
    long max) {

  /** The JSON types a value can have. */
  public enum ValueType {
    STRING,
    INTEGER,
    BOOLEAN,
    PASSWORD
  }

  public static ConfigKey required(String name, ValueType type, String description) {
    return new ConfigKey(
        name, type, null, true, description, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public static ConfigKey optional(
      String name, ValueType type, String defaultValue, String description) {
    return new ConfigKey(
        name, type, defaultValue, false, description, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The same key, with integer values limited to {@code min..max}. */
  public ConfigKey range(long min, long max) {
    return new ConfigKey(name, type, defaultValue, required, description, choices, min, max);
  }

  /** The same key, taking only the given values (compared ignoring case). */
  public ConfigKey oneOf(String... values) {
    return new ConfigKey(
        name, type, defaultValue, required, description, List.of(values), min, max);
  }

  /** The same key with another default. */
  public ConfigKey withDefault(String value) {
    return new ConfigKey(name, type, value, required, description, choices, min, max);
  }
}
