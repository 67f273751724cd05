package io.inlet.emqx;

import java.util.ArrayList;
import java.util.List;

/** MQTT topic filters as ExHook registers them with EMQX: checked once, at configuration time. */
public final class TopicFilters {
  private TopicFilters() {}

  /**
   * Parses comma-separated topic filters ({@code sensors/#, alerts/+/high}); blanks around commas
   * are dropped.
   *
   * @throws IllegalArgumentException whose message completes "KEY ...", when the list is empty or a
   *     filter is not a valid MQTT topic filter
   */
  public static List<String> parse(String text) {
    List<String> filters = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String filter = part.trim();
      if (!filter.isEmpty()) {
        check(filter);
        filters.add(filter);
      }
    }
    if (filters.isEmpty()) {
      throw new IllegalArgumentException("must list at least one topic filter (# for every topic)");
    }
    return List.copyOf(filters);
  }

  /**
   * Checks one filter: {@code #} only as the whole last level, {@code +} only as a whole level, no
   * NUL character, not empty.
   *
   * @throws IllegalArgumentException whose message completes "KEY ..."
   */
  public static void check(String filter) {
    if (filter.isEmpty() || filter.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException("has an invalid topic filter \"" + filter + "\"");
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      boolean multi = level.contains("#");
      boolean single = level.contains("+");
      if ((multi && (!level.equals("#") || i != levels.length - 1))
          || (single && !level.equals("+"))) {
        throw new IllegalArgumentException(
            "has an invalid topic filter \""
                + filter
                + "\" (# must be the whole last level, + a whole level)");
      }
    }
  }
}
