package io.inlet.bridge.auth;

/** MQTT topic filters ({@code +}, {@code #}) matched against topic names, as MQTT 3.1.1 §4.7. */
public final class TopicFilters {
  private TopicFilters() {}

  /**
   * Whether {@code filter} is a valid filter: {@code #} only as the whole last level, {@code +}
   * only as a whole level, not empty.
   */
  public static boolean isValid(String filter) {
    if (filter == null || filter.isEmpty() || filter.indexOf('\0') >= 0) {
      return false;
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code topic} matches {@code filter}. A filter that starts with a wildcard does not
   * match topics starting with {@code $} (MQTT 3.1.1 §4.7.2); {@code a/#} matches {@code a}.
   */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int f = 0;
    int t = 0;
    int fLen = filter.length();
    int tLen = topic.length();
    while (true) {
      int fEnd = filter.indexOf('/', f);
      if (fEnd < 0) {
        fEnd = fLen;
      }
      String level = filter.substring(f, fEnd);
      if (level.equals("#")) {
        return true;
      }
      if (t > tLen) {
        // the topic has no more levels; "a/#" still matches "a"
        return false;
      }
      int tEnd = topic.indexOf('/', t);
      if (tEnd < 0) {
        tEnd = tLen;
      }
      if (!level.equals("+") && !level.equals(topic.substring(t, tEnd))) {
        return false;
      }
      boolean filterDone = fEnd == fLen;
      boolean topicDone = tEnd == tLen;
      if (filterDone) {
        return topicDone;
      }
      if (topicDone) {
        // only "…/#" may follow
        return filter.substring(fEnd + 1).equals("#");
      }
      f = fEnd + 1;
      t = tEnd + 1;
    }
  }
}
