package io.inlet.api.topic;

import java.nio.charset.StandardCharsets;

/**
 * MQTT topic names: what a message is published to, never a filter. The one check every path into
 * Inlet applies, as the MQTT listener does for a PUBLISH or a will (MQTT 3.1.1 §4.7, MQTT 5 §4.7):
 * not empty, no wildcard ({@code +}, {@code #}), no NUL character, at most 65,535 bytes of UTF-8. A
 * topic starting with {@code $} is a valid name.
 */
public final class TopicNames {
  /** The longest topic name MQTT can carry, in bytes of UTF-8. */
  public static final int MAX_BYTES = 65_535;

  private TopicNames() {}

  /**
   * Why {@code topic} is not a valid topic name, or null when it is. The reason is meant for a log
   * or an error message: "is empty", "contains the wildcard +", ...
   */
  public static String problem(String topic) {
    if (topic == null || topic.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < topic.length(); i++) {
      switch (topic.charAt(i)) {
        case '+' -> {
          return "contains the wildcard +";
        }
        case '#' -> {
          return "contains the wildcard #";
        }
        case '\0' -> {
          return "contains the NUL character";
        }
        default -> {
          // fine
        }
      }
    }
    // one UTF-16 char is at most 3 bytes of UTF-8: only long names need counting
    if (topic.length() > MAX_BYTES / 3
        && topic.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "is longer than " + MAX_BYTES + " bytes";
    }
    return null;
  }

  /** Whether {@code topic} is a valid topic name (see {@link #problem}). */
  public static boolean isValid(String topic) {
    return problem(topic) == null;
  }
}
