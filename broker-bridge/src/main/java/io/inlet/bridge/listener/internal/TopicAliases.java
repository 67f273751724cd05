package io.inlet.bridge.listener.internal;

/** Inbound topic aliases of one MQTT 5 connection (event loop only). */
final class TopicAliases {
  private final String[] topics;

  TopicAliases(int maximum) {
    this.topics = new String[maximum + 1];
  }

  /** Whether {@code alias} is within 1..maximum. */
  boolean inRange(int alias) {
    return alias >= 1 && alias < topics.length;
  }

  void set(int alias, String topic) {
    topics[alias] = topic;
  }

  /** The topic set for {@code alias}, or null when none was. */
  String resolve(int alias) {
    return topics[alias];
  }
}
