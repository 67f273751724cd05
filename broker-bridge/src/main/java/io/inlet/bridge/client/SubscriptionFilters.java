package io.inlet.bridge.client;

import io.inlet.api.topic.TopicFilter;

/** Checks the topic filters a bridge subscribes to, shared subscriptions included. */
final class SubscriptionFilters {
  private static final String SHARE = "$share/";

  private SubscriptionFilters() {}

  /**
   * The filter to subscribe to: {@code $share/GROUP/FILTER} when a group is given and the filter is
   * not shared already.
   *
   * @throws InvalidBridgeException (field {@code topics}) for an invalid filter or group
   */
  static String subscription(String filter, String sharedGroup) {
    String plain = filter;
    if (filter != null && filter.startsWith(SHARE)) {
      int slash = filter.indexOf('/', SHARE.length());
      String group = slash < 0 ? "" : filter.substring(SHARE.length(), slash);
      checkGroup(group, filter);
      plain = filter.substring(slash + 1);
    }
    if (plain == null || plain.equals("$share") || plain.startsWith(SHARE)) {
      throw new InvalidBridgeException(
          "topics",
          "topic filter "
              + (plain == null ? "(none)" : "\"" + plain + "\"")
              + " is invalid: "
              + (plain == null
                  ? "it is empty"
                  : "a shared subscription is $share/GROUP/FILTER, once"));
    }
    String problem = TopicFilter.problem(plain);
    if (problem != null) {
      throw new InvalidBridgeException(
          "topics", "topic filter \"" + plain + "\" is invalid: " + problem);
    }
    if (sharedGroup == null || filter.startsWith(SHARE)) {
      return filter;
    }
    checkGroup(sharedGroup, SHARE + sharedGroup + "/" + filter);
    return SHARE + sharedGroup + "/" + filter;
  }

  private static void checkGroup(String group, String filter) {
    if (group.isEmpty() || group.contains("+") || group.contains("#") || group.contains("/")) {
      throw new InvalidBridgeException(
          "topics",
          "shared subscription \""
              + filter
              + "\" is invalid: the group must be a non-empty name without '/', '+' or '#'"
              + " ($share/GROUP/FILTER)");
    }
  }
}
