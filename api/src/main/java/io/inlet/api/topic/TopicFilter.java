package io.inlet.api.topic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An MQTT topic filter (MQTT 3.1.1 and 5, §4.7): levels separated by {@code /}, {@code +} matching
 * exactly one level, {@code #} (last level only) matching the parent level and any number of levels
 * below. As MQTT says, a filter that starts with a wildcard does not match topics that start with
 * {@code $} ({@code $SYS/...}).
 *
 * <p>Shared subscriptions ({@code $share/GROUP/FILTER}) are a way to subscribe, not a filter of
 * their own: callers that accept them strip the prefix first.
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicFilter {
  /** The longest filter MQTT can carry, in bytes of UTF-8. */
  public static final int MAX_BYTES = 65_535;

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
   * @throws InvalidTopicFilterException saying what is wrong
   */
  public static TopicFilter parse(String filter) {
    String problem = problem(filter);
    if (problem != null) {
      throw new InvalidTopicFilterException(filter, problem);
    }
    return new TopicFilter(filter, TopicLevels.split(filter));
  }

  /**
   * Why {@code filter} is not a valid topic filter, or null when it is: not empty, at most {@value
   * #MAX_BYTES} bytes of UTF-8, no NUL character, {@code #} only as the whole last level, {@code +}
   * only as a whole level.
   */
  public static String problem(String filter) {
    if (filter == null || filter.isEmpty()) {
      return "it is empty";
    }
    // one UTF-16 char is at most 3 bytes of UTF-8: only long filters need counting
    if (filter.length() > MAX_BYTES / 3
        && filter.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "it is longer than " + MAX_BYTES + " bytes";
    }
    if (filter.indexOf('\0') >= 0) {
      return "it contains the NUL character";
    }
    String[] levels = TopicLevels.split(filter);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.indexOf('#') >= 0) {
        if (!level.equals(MULTI)) {
          return "'#' must be a whole level (as in a/#), found level '" + level + "'";
        }
        if (i != levels.length - 1) {
          return "'#' must be the last level";
        }
      }
      if (level.indexOf('+') >= 0 && !level.equals(SINGLE)) {
        return "'+' must be a whole level (as in a/+/b), found level '" + level + "'";
      }
    }
    return null;
  }

  /** Whether {@code filter} is a valid topic filter (see {@link #problem}). */
  public static boolean isValid(String filter) {
    return problem(filter) == null;
  }

  /**
   * Whether {@code topic} matches {@code filter}, for filters only known at the time of the check
   * (an ACL pattern with the client's name filled in). An invalid filter matches nothing.
   */
  public static boolean matches(String filter, String topic) {
    return isValid(filter) && new TopicFilter(filter, TopicLevels.split(filter)).matches(topic);
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

  /** How many levels the filter has ({@code a/+/#} has three). */
  public int levelCount() {
    return levels.length;
  }

  /** The filter's levels, a copy. */
  public String[] levels() {
    return Arrays.copyOf(levels, levels.length);
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
}
