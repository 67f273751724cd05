package io.inlet.api.topic;

import java.util.ArrayList;
import java.util.List;

/** Splits topic names and filters into their levels. */
public final class TopicLevels {
  private static final String[] ONE_EMPTY_LEVEL = {""};

  private TopicLevels() {}

  /**
   * The levels of a topic: {@code a/b} has two, {@code /a} two (the first empty), {@code a//b}
   * three. Every topic has at least one level.
   */
  public static String[] split(String topic) {
    if (topic.isEmpty()) {
      return ONE_EMPTY_LEVEL;
    }
    int slash = topic.indexOf('/');
    if (slash < 0) {
      return new String[] {topic};
    }
    List<String> levels = new ArrayList<>(8);
    int start = 0;
    while (slash >= 0) {
      levels.add(topic.substring(start, slash));
      start = slash + 1;
      slash = topic.indexOf('/', start);
    }
    levels.add(topic.substring(start));
    return levels.toArray(new String[0]);
  }
}
