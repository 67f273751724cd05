package io.inlet.bridge.rules;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An MQTT topic filter as a rule uses it: levels separated by {@code /}, {@code +} matching exactly
 * one level, {@code #} (last level only) matching the parent level and any number of levels below.
 * As MQTT says, a filter that starts with a wildcard does not match topics that start with {@code
 * $} ({@code $SYS/...}).
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicFilter {
  static final int MAX_BYTES = 65_535;
  private static final String SINGLE = "+";
  private static final String MULTI = "#";

  private final String text;
  private final String[] levels;

  private TopicFilter(String text, String[] levels) {
    this.text = text;
    this.levels = levels;
  }

  /**
   * Parses and validates a filter.
   *
   * @throws InvalidRuleException (field {@code topic}) saying what is wrong
   */
  public static TopicFilter parse(String filter) {
    if (filter == null || filter.isEmpty()) {
      throw invalid(filter, "it is empty");
    }
    if (filter.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw invalid(filter, "it is longer than " + MAX_BYTES + " bytes");
    }
    if (filter.indexOf('\0') >= 0) {
      throw invalid(filter, "it contains the NUL character");
    }
    if (filter.startsWith("$share/") || filter.equals("$share")) {
      throw invalid(
          filter,
          "a shared subscription ($share/...) is a way to subscribe, not a topic; put it in a"
              + " bridge's topics and give the rule the plain filter");
    }
    String[] levels = TopicLevels.split(filter);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.indexOf('#') >= 0) {
        if (!level.equals(MULTI)) {
          throw invalid(
              filter, "'#' must be a whole level (as in a/#), found level '" + level + "'");
        }
        if (i != levels.length - 1) {
          throw invalid(filter, "'#' must be the last level");
        }
      }
      if (level.indexOf('+') >= 0 && !level.equals(SINGLE)) {
        throw invalid(
            filter, "'+' must be a whole level (as in a/+/b), found level '" + level + "'");
      }
    }
    return new TopicFilter(filter, levels);
  }

  private static InvalidRuleException invalid(String filter, String problem) {
    return new InvalidRuleException(
        "topic",
        "topic filter "
            + (filter == null ? "(none)" : "\"" + filter + "\"")
            + " is invalid: "
            + problem);
  }

  /** Whether the topic (a concrete topic name, never a filter) matches. */
  public boolean matches(String topic) {
    return matches(TopicLevels.split(topic));
  }

  /** Whether a topic already split into levels ({@link TopicLevels#split}) matches. */
  public boolean matches(String[] topic) {
    if (topic.length > 0
        && !topic[0].isEmpty()
        && topic[0].charAt(0) == '$'
        && isWildcard(levels[0])) {
      return false;
    }
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals(MULTI)) {
        return true;
      }
      if (i >= topic.length) {
        return false;
      }
      if (!level.equals(SINGLE) && !level.equals(topic[i])) {
        return false;
      }
    }
    return topic.length == levels.length;
  }

  /**
   * Whether every topic that {@code other} matches is also matched by this filter, so that a rule
   * with {@code other} placed after one with this filter is never reached.
   */
  public boolean covers(TopicFilter other) {
    String[] them = other.levels;
    if (isWildcard(levels[0]) && !isWildcard(them[0]) && them[0].startsWith("$")) {
      return false;
    }
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals(MULTI)) {
        return true;
      }
      if (i >= them.length || them[i].equals(MULTI)) {
        return false;
      }
      if (!level.equals(SINGLE) && (!level.equals(them[i]))) {
        return false;
      }
    }
    return them.length == levels.length;
  }

  private static boolean isWildcard(String level) {
    return level.equals(SINGLE) || level.equals(MULTI);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicFilter f && f.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  int levelCount() {
    return levels.length;
  }

  String[] levels() {
    return Arrays.copyOf(levels, levels.length);
  }
}
