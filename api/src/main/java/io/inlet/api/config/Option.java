package io.inlet.api.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One setting of a node, defined once in the module it configures: its key (also the command-line
 * flag {@code --key} and the config-file key), its value type and unit, its default, how a text
 * value is parsed and checked, and what it does. The server composes every module's options into
 * its flags, the config file and the generated reference.
 *
 * @param <T> the parsed value's type
 */
public final class Option<T> {
  private final String key;
  private final String type;
  private final String unit;
  private final String defaultText;
  private final String description;
  private final Function<String, T> parser;

  private Option(
      String key,
      String type,
      String unit,
      String defaultText,
      String description,
      Function<String, T> parser) {
    this.key = key;
    this.type = type;
    this.unit = unit;
    this.defaultText = defaultText;
    this.description = description;
    this.parser = parser;
  }

  /**
   * @param defaultText the default as a user would write it; parsed like any other value, or a
   *     description in angle brackets (e.g. {@code <the bind address>}) for a default that is
   *     derived from other settings
   * @param parser turns text into a value; throws {@link IllegalArgumentException} whose message
   *     completes "KEY ..." (e.g. "must be 0..65535")
   */
  public static <T> Option<T> of(
      String key,
      String type,
      String unit,
      String defaultText,
      String description,
      Function<String, T> parser) {
    return new Option<>(
        Objects.requireNonNull(key),
        Objects.requireNonNull(type),
        unit == null ? "" : unit,
        Objects.requireNonNull(defaultText),
        Objects.requireNonNull(description),
        Objects.requireNonNull(parser));
  }

  public String key() {
    return key;
  }

  public String flag() {
    return "--" + key;
  }

  public String type() {
    return type;
  }

  public String unit() {
    return unit;
  }

  public String defaultText() {
    return defaultText;
  }

  /** A default that depends on other settings and is resolved when the config is built. */
  public boolean hasDerivedDefault() {
    return defaultText.startsWith("<");
  }

  public String description() {
    return description;
  }

  public boolean isFlag() {
    return "boolean".equals(type);
  }

  /**
   * Parses and validates a value.
   *
   * @throws ConfigException naming the key and the bad value
   */
  public T parse(String text) {
    String value = text == null ? "" : text.trim();
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + " " + e.getMessage() + ", found: " + value);
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
